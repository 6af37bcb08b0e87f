import pytest
from django.core.exceptions import ValidationError

from stock.models import Blank, BlankStatus, Movement, MovementKind
from stock.serials import serials_parse
from stock.services import (
    blank_consume,
    blank_spoil,
    blanks_transfer,
    destruction_create,
    stock_adjust,
)
from tests.constraints import refused_by

pytestmark = pytest.mark.django_db


def test_it_parses_a_range_keeping_the_zero_padding():
    serials = serials_parse("KTP0001000–KTP0004999")
    assert len(serials) == 4000
    assert serials[0] == "KTP0001000" and serials[-1] == "KTP0004999"


def test_it_refuses_a_reversed_range():
    with pytest.raises(ValidationError, match="lebih kecil"):
        serials_parse("KTP0009-KTP0001")


def test_a_receipt_creates_one_blank_per_serial_with_its_ledger_row(receive, store):
    receipt = receive("KTP0001-KTP0010")
    assert receipt.quantity == 10 and receipt.is_range
    assert Blank.objects.filter(location=store, status=BlankStatus.IN_STOCK).count() == 10
    assert Movement.objects.filter(kind=MovementKind.RECEIVE).count() == 10


def test_a_receipt_with_a_list_of_serials(receive):
    receipt = receive("KTP0100, KTP0105\nKTP0200")
    assert receipt.quantity == 3 and not receipt.is_range


def test_a_receipt_with_serials_already_registered_is_refused_naming_them(receive):
    receive("KTP0001-KTP0010")
    with pytest.raises(ValidationError) as error:
        receive("KTP0008-KTP0012")
    assert "KTP0008, KTP0009, KTP0010" in error.value.messages[0]
    assert Blank.objects.count() == 10


def test_a_blank_is_used_once_and_never_twice(receive, store, keeper):
    receive()
    blank = blank_consume(serial="KTP0001", location=store, actor=keeper, reference="APP-1")
    assert blank.status == BlankStatus.USED
    with pytest.raises(ValidationError, match="KTP0001 tidak tersedia: statusnya terpakai"):
        blank_consume(serial="KTP0001", location=store, actor=keeper, reference="APP-2")
    assert Movement.objects.filter(kind=MovementKind.USE).count() == 1


def test_a_blank_cannot_be_used_at_another_location(receive, printer, keeper):
    receive()
    with pytest.raises(ValidationError, match="tidak berada di Mesin Cetak 1"):
        blank_consume(serial="KTP0001", location=printer, actor=keeper, reference="APP-1")
    assert Blank.objects.get(serial="KTP0001").status == BlankStatus.IN_STOCK


def test_an_unknown_serial_is_refused(receive, store, keeper):
    receive()
    with pytest.raises(ValidationError, match="tidak terdaftar: KTP9999"):
        blank_consume(serial="KTP9999", location=store, actor=keeper, reference="APP-1")


def test_a_spoiled_blank_cannot_be_used(receive, store, keeper):
    receive()
    blank_spoil(
        serial="KTP0002", location=store, reason="gagal_cetak", actor=keeper, note="Kotak basah"
    )
    with pytest.raises(ValidationError, match="statusnya rusak"):
        blank_consume(serial="KTP0002", location=store, actor=keeper, reference="APP-1")
    assert Blank.objects.get(serial="KTP0002").spoil_reason == "gagal_cetak"


def test_a_range_is_transferred_to_a_printer_station(receive, store, printer, keeper):
    receive("KTP0001-KTP0200")
    moved = blanks_transfer(
        serials=serials_parse("KTP0001-KTP0100"),
        from_location=store,
        to_location=printer,
        actor=keeper,
    )
    assert moved == 100
    assert Blank.objects.filter(location=printer).count() == 100
    assert Blank.objects.filter(location=store).count() == 100
    blank_consume(serial="KTP0050", location=printer, actor=keeper, reference="APP-1")


def test_a_transfer_with_one_unavailable_blank_moves_nothing(receive, store, printer, keeper):
    receive()
    blank_consume(serial="KTP0003", location=store, actor=keeper, reference="APP-1")
    with pytest.raises(ValidationError, match="KTP0003"):
        blanks_transfer(
            serials=serials_parse("KTP0001-KTP0005"),
            from_location=store,
            to_location=printer,
            actor=keeper,
        )
    assert not Blank.objects.filter(location=printer).exists()
    assert not Movement.objects.filter(kind=MovementKind.TRANSFER).exists()


WITNESSES = "Yohanes Ndolu — Kepala Seksi\nMaria Benu — Inspektorat"


def test_only_spoiled_blanks_can_be_destroyed(receive, store, keeper):
    receive()
    blank_spoil(
        serial="KTP0001", location=store, reason="rusak_fisik", actor=keeper, note="Kotak basah"
    )
    with pytest.raises(ValidationError, match="tidak berstatus rusak: KTP0002 \\(tersedia\\)"):
        destruction_create(
            serials=["KTP0001", "KTP0002"],
            destroyed_on=store.blanks.first().receipt.received_on,
            witnesses=WITNESSES,
            actor=keeper,
        )
    record = destruction_create(
        serials=["KTP0001"],
        destroyed_on=store.blanks.first().receipt.received_on,
        witnesses=WITNESSES,
        actor=keeper,
        returned_old_cards=12,
    )
    blank = Blank.objects.get(serial="KTP0001")
    assert blank.status == BlankStatus.DESTROYED and blank.destruction == record


def test_a_destruction_needs_two_witnesses(receive, store, keeper):
    receive()
    blank_spoil(
        serial="KTP0001", location=store, reason="rusak_fisik", actor=keeper, note="Kotak basah"
    )
    with pytest.raises(ValidationError, match="paling sedikit 2"):
        destruction_create(
            serials=["KTP0001"],
            destroyed_on=store.blanks.first().receipt.received_on,
            witnesses="Sendiri",
            actor=keeper,
        )


def test_an_adjustment_needs_the_supervisor_permission_and_a_note(
    receive, store, keeper, make_user
):
    from django.core.exceptions import PermissionDenied

    receive()
    with pytest.raises(PermissionDenied):
        stock_adjust(serial="KTP0001", status="lost", location=store, actor=keeper, note="x")
    chief = make_user("Kepala Seksi")
    with pytest.raises(ValidationError, match="catatan"):
        stock_adjust(serial="KTP0001", status="lost", location=store, actor=chief, note=" ")
    stock_adjust(
        serial="KTP0001", status="lost", location=store, actor=chief, note="Tidak ditemukan"
    )
    assert Blank.objects.get(serial="KTP0001").status == BlankStatus.LOST


def test_the_database_refuses_a_used_blank_with_a_spoil_reason(receive):
    receive()
    with refused_by("blank_spoil_reason_matches_status"):
        Blank.objects.filter(serial="KTP0001").update(status="used", spoil_reason="gagal_cetak")
