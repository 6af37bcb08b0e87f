import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stock.models import Blank, BlankStatus, Location, Movement, MovementKind, Receipt
from stock.selectors import stock_disagreements
from stock.serials import serials_parse
from stock.services import blank_consume, blanks_transfer, receipt_create, receipt_void
from tests.threads import results_together

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("reference_data")]


def _setup():
    user = _clerk("pengelola")
    store = Location.objects.create(kind="gudang", name="Gudang")
    printer = Location.objects.create(kind="printer", name="Mesin 1")
    receipt_create(
        received_on=timezone.localdate(),
        source="apbn",
        reference="BAST-1",
        quantity=40,
        serials="KTP0001-KTP0040",
        location=store,
        actor=user,
    )
    return user, store, printer


def test_two_operators_printing_on_the_same_blank_use_it_exactly_once():
    user, store, _ = _setup()

    def consume():
        return blank_consume(serial="KTP0007", location=store, actor=user, reference="APP")

    outcomes, errors = results_together(consume, consume)
    assert errors == []
    assert sum(isinstance(o, Blank) for o in outcomes) == 1
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 1 and "tidak tersedia" in refused[0].messages[0]
    assert Movement.objects.filter(kind=MovementKind.USE).count() == 1


def test_a_transfer_and_a_print_at_once_never_both_take_the_blank():
    user, store, printer = _setup()

    def transfer():
        return blanks_transfer(
            serials=serials_parse("KTP0001-KTP0040"),
            from_location=store,
            to_location=printer,
            actor=user,
        )

    def consume():
        return blank_consume(serial="KTP0040", location=store, actor=user, reference="APP")

    outcomes, errors = results_together(transfer, consume, transfer)
    assert errors == []
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 2
    assert stock_disagreements() == ([], [])
    used = Blank.objects.filter(status=BlankStatus.USED).count()
    assert Blank.objects.filter(location=printer).count() == (0 if used else 40)


def _clerk(username: str):
    user = get_user_model().objects.create_user(username=username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Pengelola Blanko"))
    return user


def test_two_clerks_spoiling_overlapping_lists_in_different_orders_never_deadlock():
    first, second = _clerk("pengelola-1"), _clerk("pengelola-2")
    printer = Location.objects.create(kind="printer", name="Mesin 1")
    url = reverse("admin:stock_blank_spoil")
    trials = 15
    for trial in range(trials):
        serials = serials_parse(f"T{trial:02d}01-T{trial:02d}08")
        receipt_create(
            received_on=timezone.localdate(),
            source="apbn",
            reference=f"BAST-{trial}",
            quantity=len(serials),
            serials=serials,
            location=printer,
            actor=first,
        )
        clients = []
        for clerk in (first, second):
            client = Client()
            client.force_login(clerk)
            clients.append(client)

        def post(client, listed):
            def work():
                data = {
                    "serials": " ".join(listed),
                    "location": printer.pk,
                    "reason": "gagal_cetak",
                }
                return client.post(url, data)

            return work

        # Overlapping on six serials, typed in opposite orders.
        responses, errors = results_together(
            post(clients[0], serials[:7]), post(clients[1], list(reversed(serials[1:])))
        )
        assert errors == [], trial

        assert sorted(r.status_code for r in responses) == [200, 302], trial
        (refused,) = [r for r in responses if r.status_code == 200]
        assert "tidak berstatus tersedia" in refused.content.decode(), trial

    spoils = Movement.objects.filter(kind=MovementKind.SPOIL)
    assert spoils.count() == spoils.values("blank").distinct().count() == 7 * trials
    assert stock_disagreements() == ([], [])


def test_a_double_click_on_void_voids_the_receipt_once():
    _setup()
    supervisor = get_user_model().objects.create_user(username="kasi", password="x")
    supervisor.groups.add(Group.objects.get(name="Kepala Seksi"))
    receipt = Receipt.objects.get()

    def void():
        return receipt_void(receipt=receipt, actor=supervisor, reason="Salah ketik")

    outcomes, errors = results_together(void, void)
    assert errors == []

    assert all(isinstance(o, Receipt) and o.is_voided for o in outcomes)
    assert Movement.objects.filter(kind=MovementKind.VOID).count() == 40
    assert stock_disagreements() == ([], [])
