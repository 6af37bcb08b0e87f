"""The queue under real threads on PostgreSQL: desks pressing "next" at the same instant,
kiosks issuing at the same instant, one NIK at two kiosks at once."""

from functools import partial

import pytest
from django.core.cache import cache

from registry.models import QueueTicket, ServiceDesk, TicketEvent, TicketService, TicketStatus
from registry.services.tickets import ticket_call_next, ticket_issue
from tests.threads import results_together, run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
A = TicketService.REGISTRATION
DESKS = 8


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def _kiosk(address: str, **kwargs):
    return ticket_issue(service=A, address=address, **kwargs)


def test_desks_pressing_next_at_once_never_get_the_same_ticket(make_user):
    clerk = make_user("Petugas Pendaftaran")
    desks = [ServiceDesk.objects.create(number=n, service=A) for n in range(1, DESKS + 1)]
    for _ in range(DESKS + 2):
        _kiosk("10.0.0.1")
    called, errors = results_together(
        *(partial(ticket_call_next, desk=desk, actor=clerk) for desk in desks)
    )
    assert errors == []
    numbers = sorted(ticket.number for ticket in called)
    # Every desk got a ticket of its own, and together the oldest ones in order.
    assert numbers == list(range(1, DESKS + 1))
    assert QueueTicket.objects.filter(status=TicketStatus.CALLED).count() == DESKS
    assert TicketEvent.objects.filter(kind="call").count() == DESKS


def test_one_desk_pressed_twice_at_once_calls_one_ticket(make_user):
    clerk = make_user("Petugas Pendaftaran")
    desk = ServiceDesk.objects.create(number=1, service=A)
    for _ in range(3):
        _kiosk("10.0.0.1")
    called, errors = results_together(
        *(partial(ticket_call_next, desk=desk, actor=clerk) for _ in range(4))
    )
    assert errors == []
    assert {ticket.number for ticket in called} == {1}
    assert TicketEvent.objects.filter(kind="call").count() == 1


def test_kiosks_issuing_at_once_never_repeat_a_number():
    issued, errors = results_together(*(partial(_kiosk, f"10.0.1.{n}") for n in range(12)))
    assert errors == []
    assert sorted(ticket.number for ticket in issued) == list(range(1, 13))


def test_one_nik_at_two_kiosks_at_once_gets_one_ticket():
    nik = "5371012701900001"
    outcomes, errors = run_together(*(partial(_kiosk, f"10.0.2.{n}", nik=nik) for n in range(4)))
    assert errors == []
    assert outcomes.count("ok") == 1
    assert all("masih memegang nomor antrean" in o for o in outcomes if o != "ok")
    assert QueueTicket.objects.filter(nik=nik).count() == 1
