"""Every stock write checks its own permission, so a command or a bench cannot skip the admin's.

Each test calls the service as a role that lacks the permission and finds nothing written.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from stock.models import Blank, BlankStatus, DailyClosing, Destruction, Movement, Receipt
from stock.services import (
    blank_consume,
    blank_spoil,
    blanks_transfer,
    dailyclosing_approve,
    dailyclosing_create,
    destruction_approve,
    destruction_create,
    receipt_create,
    receipt_void,
    stock_adjust,
)


@pytest.fixture
def printing(make_user):
    return make_user("Operator Cetak")


@pytest.fixture
def chief(make_user):
    return make_user("Kepala Seksi")


def _blank(serial: str) -> Blank:
    return Blank.objects.get(serial=serial)


def test_a_printing_operator_may_not_receive_blanks(store, printing):
    with pytest.raises(PermissionDenied, match="penerimaan blanko"):
        receipt_create(
            received_on=timezone.localdate(),
            source="apbn",
            reference="BAST-001/2020",
            quantity=10,
            serials="KTP0001-KTP0010",
            location=store,
            actor=printing,
        )
    assert not Receipt.objects.exists() and not Blank.objects.exists()
    assert not Movement.objects.exists()


def test_a_printing_operator_may_not_move_blanks(receive, store, printer, printing):
    receive()
    movements = Movement.objects.count()
    with pytest.raises(PermissionDenied, match="memindahkan blanko"):
        blanks_transfer(
            serials=["KTP0001"], from_location=store, to_location=printer, actor=printing
        )
    assert _blank("KTP0001").location == store
    assert Movement.objects.count() == movements


def test_a_supervisor_may_not_use_a_blank_for_printing(receive, printer, chief):
    receive(location=printer)
    movements = Movement.objects.count()
    with pytest.raises(PermissionDenied, match="memakai blanko"):
        blank_consume(serial="KTP0001", location=printer, actor=chief, reference="APP-1")
    assert _blank("KTP0001").status == BlankStatus.IN_STOCK
    assert Movement.objects.count() == movements


def test_the_printing_operator_uses_a_blank_at_the_printer(receive, printer, printing):
    receive(location=printer)
    blank = blank_consume(serial="KTP0001", location=printer, actor=printing, reference="APP-1")
    assert _blank(blank.serial).status == BlankStatus.USED


def test_a_supervisor_may_not_record_a_destruction(receive, printer, keeper, chief):
    receive(location=printer)
    blank_spoil(serial="KTP0001", location=printer, reason="rusak_fisik", actor=keeper)
    movements = Movement.objects.count()
    with pytest.raises(PermissionDenied, match="pemusnahan blanko"):
        destruction_create(
            serials=["KTP0001"],
            destroyed_on=timezone.localdate(),
            witnesses="ANA — Staf\nBUDI — Staf",
            actor=chief,
        )
    assert not Destruction.objects.exists()
    assert _blank("KTP0001").status == BlankStatus.SPOILED
    assert Movement.objects.count() == movements


def test_the_blank_keeper_may_not_approve_a_destruction(receive, printer, keeper):
    receive(location=printer)
    blank_spoil(serial="KTP0001", location=printer, reason="rusak_fisik", actor=keeper)
    destruction = destruction_create(
        serials=["KTP0001"],
        destroyed_on=timezone.localdate(),
        witnesses="ANA — Staf\nBUDI — Staf",
        actor=keeper,
    )
    with pytest.raises(PermissionDenied, match="Kepala Seksi"):
        destruction_approve(destruction=destruction, approver=keeper)
    destruction.refresh_from_db()
    assert destruction.approved_by is None and destruction.approved_at is None


def test_a_printing_operator_may_not_close_a_day(receive, store, printing):
    receive()
    with pytest.raises(PermissionDenied, match="stok harian"):
        dailyclosing_create(
            location=store, day=timezone.localdate(), physical_count=10, actor=printing
        )
    assert not DailyClosing.objects.exists()


def test_the_blank_keeper_may_not_approve_a_closing(receive, store, keeper):
    receive()
    closing = dailyclosing_create(
        location=store, day=timezone.localdate(), physical_count=10, actor=keeper
    )
    with pytest.raises(PermissionDenied, match="Kepala Seksi"):
        dailyclosing_approve(closing=closing, approver=keeper)
    closing.refresh_from_db()
    assert not closing.is_approved and closing.approved_by is None


def test_the_blank_keeper_may_not_correct_the_stock(receive, store, keeper):
    receive()
    movements = Movement.objects.count()
    with pytest.raises(PermissionDenied, match="Kepala Seksi"):
        stock_adjust(
            serial="KTP0001", status=BlankStatus.LOST, location=store, actor=keeper, note="Hilang"
        )
    assert _blank("KTP0001").status == BlankStatus.IN_STOCK
    assert Movement.objects.count() == movements


def test_the_blank_keeper_may_not_void_a_receipt(receive, keeper):
    receipt = receive()
    movements = Movement.objects.count()
    with pytest.raises(PermissionDenied, match="Kepala Seksi"):
        receipt_void(receipt=receipt, actor=keeper, reason="Salah ketik")
    receipt.refresh_from_db()
    assert not receipt.is_voided
    assert not Blank.objects.filter(status=BlankStatus.VOIDED).exists()
    assert Movement.objects.count() == movements
