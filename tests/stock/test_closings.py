import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from stock.models import DailyClosing
from stock.serials import serials_parse
from stock.services import (
    blank_consume,
    blank_spoil,
    blanks_transfer,
    dailyclosing_approve,
    dailyclosing_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def yesterday_receipt(receive, monkeypatch):
    """50 blanks received yesterday, so today opens with stock."""
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() - dt.timedelta(days=1))
    receive("KTP0001-KTP0050")
    monkeypatch.setattr(timezone, "now", real_now)


def test_the_closing_balances_from_the_ledger(yesterday_receipt, receive, store, printer, keeper):
    receive("KTP0101-KTP0120")  # +20 today
    blanks_transfer(
        serials=serials_parse("KTP0001-KTP0010"),
        from_location=store,
        to_location=printer,
        actor=keeper,
    )
    blanks_transfer(serials=["KTP0001"], from_location=printer, to_location=store, actor=keeper)
    blank_consume(serial="KTP0011", location=store, actor=keeper, reference="APP-1")
    blank_spoil(
        serial="KTP0012", location=store, reason="gagal_encode", actor=keeper, note="Kotak basah"
    )

    closing = dailyclosing_create(
        location=store,
        day=timezone.localdate(),
        physical_count=58,
        actor=keeper,
        note="Satu blanko terselip",
    )
    figures = (
        closing.opening,
        closing.received,
        closing.transferred_in,
        closing.transferred_out,
        closing.used,
        closing.spoiled,
        closing.closing,
    )
    assert figures == (50, 20, 1, 10, 1, 1, 59)
    assert closing.difference == -1


def test_a_difference_needs_an_explanation(receive, store, keeper):
    receive()
    with pytest.raises(ValidationError, match="berselisih \\+2"):
        dailyclosing_create(
            location=store, day=timezone.localdate(), physical_count=12, actor=keeper
        )


def test_a_day_cannot_be_closed_twice(receive, store, keeper):
    receive()
    today = timezone.localdate()
    dailyclosing_create(location=store, day=today, physical_count=10, actor=keeper)
    with pytest.raises(ValidationError, match="sudah ditutup"):
        dailyclosing_create(location=store, day=today, physical_count=10, actor=keeper)
    assert DailyClosing.objects.count() == 1


def test_an_approved_closing_is_immutable(receive, store, keeper, make_user):
    receive()
    closing = dailyclosing_create(
        location=store, day=timezone.localdate(), physical_count=10, actor=keeper
    )
    with pytest.raises(PermissionDenied):
        dailyclosing_approve(closing=closing, approver=keeper)
    closing = dailyclosing_approve(closing=closing, approver=make_user("Kepala Seksi"))
    closing.physical_count = 9
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        closing.save()
    with pytest.raises(ValidationError, match="tidak dapat dihapus"):
        closing.delete()
    with pytest.raises(ValidationError, match="sudah disetujui"):
        dailyclosing_approve(closing=closing, approver=make_user("Kepala Seksi", "kasi2"))


def test_it_lists_and_approves_a_closing_with_a_discrepancy(
    client, receive, store, keeper, make_user
):
    receive()
    closing = dailyclosing_create(
        location=store,
        day=timezone.localdate(),
        physical_count=8,
        actor=keeper,
        note="Dua blanko tidak ditemukan",
    )
    client.force_login(make_user("Kepala Seksi"))
    url = reverse("admin:stock_dailyclosing_changelist")
    listing = client.get(url)
    assert listing.status_code == 200
    assert '<strong class="selisih" style="color:#ba2121">-2</strong>' in listing.content.decode()

    approval = client.post(url, {"action": "approve_selected", "_selected_action": [closing.pk]})
    assert approval.status_code == 302
    closing.refresh_from_db()
    assert closing.is_approved
