"""A mistyped receipt: the BAST quantity must match, a huge one is confirmed, and the Kepala
Seksi can void one recorded by mistake while its blanks are untouched."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from stock.models import Blank, BlankStatus, BudgetLine, Movement, MovementKind, Receipt
from stock.selectors import (
    blanks_in_stock,
    budget_lines_with_spend,
    stock_disagreements,
    usage_report_rows,
)
from stock.services import blank_spoil, blanks_transfer, dailyclosing_create, receipt_void

pytestmark = pytest.mark.django_db

TYPO = "KTP0006000-KTP0106000"  # one digit too many: 100,001 blanks instead of 5,000


@pytest.fixture
def supervisor(make_user):
    return make_user("Kepala Seksi")


def _receipt_form(store, **fields):
    return {
        "received_on": "2020-01-27",
        "source": "apbn",
        "reference": "BAST-12/2020",
        "quantity": "5000",
        "location": store.pk,
        "serials": "KTP0006000-KTP0010999",
        "unit_cost": "0",
    } | fields


def test_it_refuses_a_range_that_does_not_match_the_bast_quantity(client, keeper, store):
    client.force_login(keeper)
    response = client.post(reverse("admin:stock_receipt_add"), _receipt_form(store, serials=TYPO))
    page = response.content.decode()
    assert response.status_code == 200
    assert "berjumlah 100.001 blanko, sedangkan BAST menyebut 5.000 keping" in page
    assert not Receipt.objects.exists() and not Blank.objects.exists()


def test_it_records_a_receipt_whose_range_matches_the_bast(client, keeper, store):
    client.force_login(keeper)
    response = client.post(reverse("admin:stock_receipt_add"), _receipt_form(store))
    assert response.status_code == 302
    assert Receipt.objects.get().quantity == 5000 and blanks_in_stock() == 5000


def test_the_form_asks_for_confirmation_only_for_an_unusually_large_receipt(
    client, keeper, store, settings
):
    settings.DUKCAPIL_RECEIPT_CONFIRM_ABOVE = 100
    client.force_login(keeper)
    url = reverse("admin:stock_receipt_add")
    assert "large_confirmed" not in client.get(url).content.decode()
    large = _receipt_form(store, serials="KTP0001-KTP0150", quantity="150")

    unconfirmed = client.post(url, large)
    page = unconfirmed.content.decode()
    assert "jauh di atas biasanya (lebih dari 100)" in page
    assert 'name="large_confirmed"' in page
    assert not Receipt.objects.exists()

    assert client.post(url, large | {"large_confirmed": "on"}).status_code == 302
    assert Receipt.objects.get().quantity == 150


def test_the_supervisor_voids_a_mistaken_receipt_through_a_confirmation_page(
    client, receive, supervisor, store
):
    receipt = receive("KTP0001-KTP0040")
    client.force_login(supervisor)
    listing = client.get(reverse("admin:stock_receipt_changelist")).content.decode()
    url = reverse("admin:stock_receipt_void", args=[receipt.pk])
    assert url in listing

    page = client.get(url).content.decode()
    assert "40 blanko itu keluar dari stok" in page and "Alasan pembatalan" in page

    without_reason = client.post(url, {"reason": " "})
    assert without_reason.status_code == 200 and blanks_in_stock() == 40

    response = client.post(url, {"reason": "Rentang salah ketik; BAST menyebut 30 keping"})
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert receipt.is_voided and receipt.voided_by == supervisor
    assert blanks_in_stock() == 0
    assert Blank.objects.filter(status=BlankStatus.VOIDED).count() == 40
    voids = Movement.objects.filter(kind=MovementKind.VOID)
    assert voids.count() == 40 and set(voids.values_list("note", flat=True)) == {
        "Rentang salah ketik; BAST menyebut 30 keping"
    }
    assert Movement.objects.filter(kind=MovementKind.RECEIVE).count() == 40  # kept
    assert stock_disagreements() == ([], [])
    call_command("stock_verify")  # exits 1 on any disagreement


def test_only_the_supervisor_may_void_a_receipt(client, receive, keeper):
    receipt = receive()
    client.force_login(keeper)
    url = reverse("admin:stock_receipt_void", args=[receipt.pk])
    assert client.post(url, {"reason": "Salah"}).status_code == 403
    assert url not in client.get(reverse("admin:stock_receipt_changelist")).content.decode()
    with pytest.raises(PermissionDenied):
        receipt_void(receipt=receipt, actor=keeper, reason="Salah")
    assert blanks_in_stock() == 10


def test_a_receipt_whose_blanks_moved_cannot_be_voided(receive, supervisor, keeper, store, printer):
    receipt = receive()
    blanks_transfer(serials=["KTP0005"], from_location=store, to_location=printer, actor=keeper)
    blanks_transfer(serials=["KTP0005"], from_location=printer, to_location=store, actor=keeper)
    with pytest.raises(ValidationError, match=r"tidak dapat dibatalkan.*KTP0005"):
        receipt_void(receipt=receipt, actor=supervisor, reason="Salah ketik")
    other = receive("KTP0101-KTP0110")
    blank_spoil(serial="KTP0101", location=store, reason="rusak_fisik", actor=keeper, note="Basah")
    with pytest.raises(ValidationError, match="KTP0101"):
        receipt_void(receipt=other, actor=supervisor, reason="Salah ketik")
    assert blanks_in_stock() == 19 and not Movement.objects.filter(kind=MovementKind.VOID)


def test_voiding_twice_changes_nothing_the_second_time(receive, supervisor):
    receipt = receive()
    receipt_void(receipt=receipt, actor=supervisor, reason="Salah ketik")
    again = receipt_void(receipt=receipt, actor=supervisor, reason="Klik dua kali")
    assert again.void_reason == "Salah ketik"
    assert Movement.objects.filter(kind=MovementKind.VOID).count() == 10


def test_the_right_serials_can_be_received_after_the_void(receive, supervisor, store):
    line = BudgetLine.objects.create(
        year=2020, source="apbn", name="Alokasi", amount=1, planned_quantity=10
    )
    wrong = receive("KTP0001-KTP0100")
    Receipt.objects.filter(pk=wrong.pk).update(budget_line=line)
    receipt_void(receipt=wrong, actor=supervisor, reason="Seharusnya KTP0001-KTP0010")
    right = receive("KTP0001-KTP0010")
    assert blanks_in_stock() == 10
    assert (
        Blank.objects.filter(serial="KTP0005", status=BlankStatus.IN_STOCK).get().receipt == right
    )
    assert budget_lines_with_spend().get().received is None  # the voided one never arrived
    assert stock_disagreements() == ([], [])


def test_the_days_closing_counts_a_void_as_a_correction(receive, supervisor, keeper, store):
    receipt = receive("KTP0001-KTP0040")
    receipt_void(receipt=receipt, actor=supervisor, reason="Salah ketik")
    closing = dailyclosing_create(
        location=store, day=timezone.localdate(), physical_count=0, actor=keeper
    )
    assert (closing.received, closing.adjusted, closing.closing, closing.difference) == (
        40,
        -40,
        0,
        0,
    )
    (today,) = [
        row
        for row in usage_report_rows(year=closing.day.year, month=closing.day.month)
        if row[0] == closing.day
    ]
    assert today[2] == 40 and today[6] == -40 and today[7] == 0
