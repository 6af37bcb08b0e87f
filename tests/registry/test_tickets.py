"""Queue tickets: numbers per service and day, the call order, recall, skip, serve, transfer,
the event log, the desk panel and the public pages."""

import datetime as dt
import uuid

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from registry.models import (
    QueueTicket,
    ServiceDesk,
    TicketCounter,
    TicketEvent,
    TicketService,
    TicketStatus,
)
from registry.services.tickets import (
    ticket_call_next,
    ticket_issue,
    ticket_recall,
    ticket_serve,
    ticket_skip,
    ticket_transfer,
)
from tests.constraints import refused_by

pytestmark = pytest.mark.django_db
A, B, C = TicketService.REGISTRATION, TicketService.RECORDING, TicketService.HANDOVER
NIK = "5371012701900001"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def clerk(make_user):
    return make_user("Petugas Pendaftaran", username="loket-a")


@pytest.fixture
def desk(db):
    return ServiceDesk.objects.create(number=1, service=A)


@pytest.fixture
def recording_desk(db):
    return ServiceDesk.objects.create(number=2, service=B)


def _issue(service=A, **kwargs):
    return ticket_issue(service=service, address="10.0.0.9", **kwargs)


# Issuing


def test_it_numbers_each_service_from_one_every_day():
    codes = [_issue(A).code, _issue(A).code, _issue(C).code, _issue(A).code]
    assert codes == ["A-001", "A-002", "C-001", "A-003"]
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    QueueTicket.objects.update(day=yesterday)
    TicketCounter.objects.update(day=yesterday)
    assert _issue(A).code == "A-001"


def test_it_logs_a_kiosk_ticket_without_a_clerk_and_a_clerks_ticket_with_one(clerk):
    kiosk = _issue()
    desk_made = ticket_issue(service=B, actor=clerk)
    assert [(e.kind, e.actor) for e in kiosk.events.all()] == [("issue", None)]
    assert [(e.kind, e.actor) for e in desk_made.events.all()] == [("issue", clerk)]


def test_the_kiosk_offers_no_recording_number_which_comes_by_transfer():
    with pytest.raises(ValidationError, match="layanan"):
        _issue(B)


def test_it_refuses_a_clerk_without_the_issuing_permission(make_user):
    with pytest.raises(PermissionDenied):
        ticket_issue(service=A, actor=make_user("Operator Cetak"))


def test_one_nik_holds_one_open_ticket_per_service_per_day():
    first = _issue(nik="5371 0127 0190 0001")
    assert first.nik == NIK
    with pytest.raises(ValidationError, match="masih memegang nomor antrean"):
        _issue(nik=NIK)
    assert _issue(C, nik=NIK).code == "C-001"  # another service
    assert QueueTicket.objects.filter(nik=NIK).count() == 2


def test_the_database_refuses_a_second_open_ticket_for_one_nik():
    ticket = _issue(nik=NIK)
    with refused_by("ticket_one_open_per_nik"):
        QueueTicket.objects.create(
            day=ticket.day, prefix=A, number=99, service=A, issued_at=ticket.issued_at, nik=NIK
        )


def test_the_database_refuses_a_number_twice_a_day():
    ticket = _issue()
    with refused_by("ticket_number_once_per_day"):
        QueueTicket.objects.create(
            day=ticket.day, prefix=A, number=1, service=A, issued_at=ticket.issued_at
        )


def test_a_nik_may_queue_again_once_its_ticket_is_done(clerk, desk):
    ticket = _issue(nik=NIK)
    ticket_call_next(desk=desk, actor=clerk)
    ticket_serve(desk=desk, ticket=ticket.pk, actor=clerk)
    assert _issue(nik=NIK).code == "A-002"


def test_a_bad_nik_is_refused_with_the_reason():
    with pytest.raises(ValidationError, match="16 digit"):
        _issue(nik="53710127")


def test_the_kiosk_stops_one_address_past_the_hourly_limit(settings):
    settings.DUKCAPIL_KIOSK_TICKETS_PER_HOUR = 2
    _issue()
    _issue()
    with pytest.raises(ValidationError, match="2 per jam"):
        _issue()
    assert ticket_issue(service=A, address="10.0.0.10").code == "A-003"


# Calling


def test_a_desk_calls_the_oldest_waiting_ticket_of_its_service(clerk, desk):
    _issue(C)
    first, second = _issue(), _issue()
    called = ticket_call_next(desk=desk, actor=clerk)
    assert called == first
    ticket_serve(desk=desk, ticket=first.pk, actor=clerk)
    assert ticket_call_next(desk=desk, actor=clerk) == second


def test_a_second_press_returns_the_ticket_still_called_and_calls_no_other(clerk, desk):
    first = _issue()
    _issue()
    assert ticket_call_next(desk=desk, actor=clerk) == first
    assert ticket_call_next(desk=desk, actor=clerk) == first
    assert QueueTicket.objects.filter(status=TicketStatus.CALLED).count() == 1
    assert TicketEvent.objects.filter(kind="call").count() == 1


def test_nobody_waiting_calls_nothing(clerk, desk):
    assert ticket_call_next(desk=desk, actor=clerk) is None


def test_a_ticket_of_yesterday_is_not_called_today(clerk, desk):
    _issue()
    QueueTicket.objects.update(day=timezone.localdate() - dt.timedelta(days=1))
    assert ticket_call_next(desk=desk, actor=clerk) is None


def test_recall_then_skip_after_the_set_number_of_calls(clerk, desk, settings):
    settings.DUKCAPIL_TICKET_SKIP_AFTER_CALLS = 2
    ticket = _issue()
    ticket_call_next(desk=desk, actor=clerk)
    with pytest.raises(ValidationError, match="setelah 2 kali panggilan"):
        ticket_skip(desk=desk, ticket=ticket.pk, actor=clerk)
    ticket_recall(desk=desk, ticket=ticket.pk, actor=clerk)
    skipped = ticket_skip(desk=desk, ticket=ticket.pk, actor=clerk)
    assert skipped.status == TicketStatus.SKIPPED
    kinds = list(ticket.events.values_list("kind", "desk__number", "actor__username"))
    assert kinds == [
        ("issue", None, None),
        ("call", 1, "loket-a"),
        ("recall", 1, "loket-a"),
        ("skip", 1, "loket-a"),
    ]


def test_a_transfer_to_a_queue_where_the_nik_already_waits_is_refused(clerk, desk):
    first = _issue(nik=NIK)
    ticket_issue(service=B, nik=NIK, actor=clerk)
    ticket_call_next(desk=desk, actor=clerk)
    with pytest.raises(ValidationError, match="masih memegang nomor antrean"):
        ticket_transfer(desk=desk, ticket=first.pk, service=B, actor=clerk)
    first.refresh_from_db()
    assert first.service == A


def test_serving_a_ticket_no_longer_called_here_is_refused(clerk, desk):
    ticket = _issue()
    ticket_call_next(desk=desk, actor=clerk)
    ticket_serve(desk=desk, ticket=ticket.pk, actor=clerk)
    with pytest.raises(ValidationError, match="sudah tidak dipanggil"):
        ticket_serve(desk=desk, ticket=ticket.pk, actor=clerk)
    assert TicketEvent.objects.filter(kind="serve").count() == 1


def test_a_transferred_ticket_keeps_its_place_by_issue_time(clerk, desk, recording_desk):
    early = _issue()
    later = ticket_issue(service=B, actor=clerk)  # a recording number issued after it
    ticket_call_next(desk=desk, actor=clerk)
    moved = ticket_transfer(desk=desk, ticket=early.pk, service=B, actor=clerk)
    assert (moved.code, moved.service, moved.status) == ("A-001", B, TicketStatus.WAITING)
    assert ticket_call_next(desk=recording_desk, actor=clerk) == early
    later.refresh_from_db()
    assert later.status == TicketStatus.WAITING
    assert list(early.events.values_list("kind", "service")) == [
        ("issue", A),
        ("call", A),
        ("transfer", B),
        ("call", B),
    ]


def test_a_role_without_the_calling_permission_is_refused(make_user, desk):
    _issue()
    with pytest.raises(PermissionDenied):
        ticket_call_next(desk=desk, actor=make_user("Operator Cetak"))
    assert QueueTicket.objects.get().status == TicketStatus.WAITING


def test_the_event_log_is_append_only():
    event = _issue().events.get()
    with pytest.raises(PermissionError):
        event.save()


@pytest.mark.postgres
def test_the_database_refuses_rewriting_the_event_log():
    event = _issue().events.get()
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE registry_ticketevent SET kind = 'serve' WHERE id = %s", [event.pk])


# Pages


def _panel(number=1):
    return reverse("ticket_desk", args=[number])


@pytest.mark.parametrize("role", ["Operator Cetak", "Pengelola Blanko", None])
def test_the_call_panel_and_its_buttons_are_forbidden_without_the_permission(
    client, make_user, desk, role
):
    _issue()
    client.force_login(make_user(role))
    assert client.get(_panel()).status_code == 403
    assert client.post(_panel(), {"action": "panggil"}).status_code == 403
    assert client.get(reverse("ticket_desks")).status_code == 403
    assert client.post(reverse("ticket_desks"), {"service": A}).status_code == 403
    assert QueueTicket.objects.get().status == TicketStatus.WAITING


def test_a_double_click_on_call_next_calls_one_ticket(client, clerk, desk):
    _issue()
    _issue()
    client.force_login(clerk)
    for _ in range(2):
        response = client.post(_panel(), {"action": "panggil"}, follow=True)
    assert response.status_code == 200
    assert QueueTicket.objects.filter(status=TicketStatus.CALLED).count() == 1
    page = response.content.decode()
    assert "A-001" in page and "Selesai dilayani" in page


def test_the_panel_serves_and_reports_a_stale_button_in_indonesian(client, clerk, desk):
    ticket = _issue()
    client.force_login(clerk)
    client.post(_panel(), {"action": "panggil"})
    data = {"action": "selesai", "ticket": ticket.pk}
    assert "selesai dilayani" in client.post(_panel(), data, follow=True).content.decode()
    again = client.post(_panel(), data, follow=True)
    assert "sudah tidak dipanggil" in again.content.decode()


def test_a_clerk_takes_a_number_for_a_resident_and_gets_the_ticket(client, clerk):
    client.force_login(clerk)
    response = client.post(reverse("ticket_desks"), {"service": B, "nik": NIK})
    ticket = QueueTicket.objects.get()
    assert response.url == reverse("ticket_print", args=[ticket.pk])
    assert (ticket.code, ticket.nik) == ("B-001", NIK)


def test_the_kiosk_issues_a_ticket_and_prints_it_without_the_nik(client):
    _issue()
    response = client.post(reverse("ticket_kiosk"), {"service": A, "nik": NIK}, follow=True)
    page = response.content.decode()
    assert "A-002" in page and "1 orang di depan Anda" in page
    assert NIK not in page and "1900001" not in page


def test_the_kiosk_shows_a_refusal_on_the_page(client):
    client.post(reverse("ticket_kiosk"), {"service": A, "nik": NIK})
    response = client.post(reverse("ticket_kiosk"), {"service": A, "nik": NIK})
    assert response.status_code == 200
    assert "masih memegang nomor antrean" in response.content.decode()


def test_the_display_data_shows_calls_and_counts_but_no_personal_data(
    client, clerk, desk, django_assert_max_num_queries
):
    _issue(nik=NIK)
    _issue(C)
    ticket_call_next(desk=desk, actor=clerk)
    with django_assert_max_num_queries(2):
        response = client.get(reverse("ticket_display_data"))
    board = response.json()
    assert [(d["ticket"], d["desk"]) for d in board["desks"]] == [("A-001", 1)]
    assert [(w["service"], w["count"]) for w in board["waiting"]] == [
        ("A", 0),
        ("B", 0),
        ("C", 1),
        ("D", 0),
    ]
    assert NIK not in response.content.decode()
    assert "max-age=1" in response["Cache-Control"]


def test_a_recall_gives_the_call_a_new_key_so_the_display_speaks_it_again(client, clerk, desk):
    ticket = _issue()
    ticket_call_next(desk=desk, actor=clerk)
    before = client.get(reverse("ticket_display_data")).json()["desks"][0]["key"]
    ticket_recall(desk=desk, ticket=ticket.pk, actor=clerk)
    after = client.get(reverse("ticket_display_data")).json()["desks"][0]["key"]
    assert before != after


@pytest.mark.parametrize("name", ["ticket_kiosk", "ticket_display"])
def test_the_public_pages_need_no_sign_in_and_carry_no_inline_script_or_style(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>" not in page and "<style" not in page and "style=" not in page


def test_every_clip_the_display_joins_is_shipped_with_the_site():
    names = ["chime", "nomor_antrean", "silakan_ke_loket"]
    names += [f"huruf_{s.value.lower()}" for s in TicketService]
    names += [f"n{number}" for number in range(21)]
    missing = [n for n in names if not finders.find(f"registry/tickets/audio/{n}.wav")]
    assert missing == []


def test_a_second_tap_on_the_same_kiosk_page_gets_the_first_number(client):
    page = client.get(reverse("ticket_kiosk"))
    token = page.context["form"]["token"].value()
    first = client.post(reverse("ticket_kiosk"), {"service": "A", "token": token})
    second = client.post(reverse("ticket_kiosk"), {"service": "A", "token": token})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert QueueTicket.objects.count() == 1
    again = client.post(reverse("ticket_kiosk"), {"service": "A", "token": str(uuid.uuid4())})
    assert again["Location"] != first["Location"] and QueueTicket.objects.count() == 2
