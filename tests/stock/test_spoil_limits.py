"""Who may write blanks off where, and how many at once (issue 9, hole 4)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dukcapil.models import AuditAction, AuditEntry
from stock.models import Blank, BlankStatus, Movement, MovementKind
from stock.serials import serials_parse
from stock.services import blanks_spoil, blanks_transfer

pytestmark = pytest.mark.django_db

URL = reverse("admin:stock_blank_spoil")


@pytest.fixture
def operator(make_user):
    return make_user("Operator Cetak")


@pytest.fixture
def at_printer(receive, store, printer, keeper):
    """KTP0001–KTP0010 in the store room, KTP0001–KTP0005 of them moved to the printer."""
    receive()
    blanks_transfer(
        serials=serials_parse("KTP0001-KTP0005"),
        from_location=store,
        to_location=printer,
        actor=keeper,
    )


def _post(client, user, location, serials, note=""):
    client.force_login(user)
    return client.post(
        URL,
        {"serials": serials, "location": location.pk, "reason": "rusak_fisik", "note": note},
    )


def _spoiled() -> int:
    return Blank.objects.filter(status=BlankStatus.SPOILED).count()


def test_it_refuses_a_printer_operator_writing_off_store_room_blanks(
    client, operator, at_printer, store
):
    response = _post(client, operator, store, "KTP0006-KTP0010", note="Kotak basah")

    assert response.status_code == 200
    assert "hanya dapat dicatat rusak oleh Pengelola Blanko" in response.text
    assert _spoiled() == 0
    assert not Movement.objects.filter(kind=MovementKind.SPOIL).exists()
    refusal = AuditEntry.objects.get(action=AuditAction.REFUSED)
    assert (refusal.actor, refusal.object_repr) == (operator, str(store))


def test_the_service_refuses_it_whatever_calls_it(operator, at_printer, store):
    with pytest.raises(PermissionDenied):
        blanks_spoil(
            serials=["KTP0006"], location=store, reason="rusak_fisik", actor=operator, note="x"
        )
    assert _spoiled() == 0


def test_a_role_without_the_permission_cannot_write_off_at_a_printer(
    make_user, at_printer, printer
):
    with pytest.raises(PermissionDenied):
        blanks_spoil(
            serials=["KTP0001"],
            location=printer,
            reason="gagal_cetak",
            actor=make_user("Petugas Penyerahan"),
        )
    assert _spoiled() == 0


@pytest.mark.parametrize("who", ["operator", "keeper"])
def test_it_refuses_a_write_off_of_200000_serials(client, request, at_printer, printer, who):
    user = request.getfixturevalue(who)
    response = _post(client, user, printer, "KTP000001-KTP200000", note="Rusak")

    assert response.status_code == 200
    assert "Paling banyak 500 blanko" in response.text
    assert "200.000" in response.text
    assert _spoiled() == 0


def test_the_cap_is_a_setting(settings, keeper, at_printer, store):
    settings.DUKCAPIL_SPOIL_MAX_SERIALS = 3
    serials = serials_parse("KTP0006-KTP0009")
    with pytest.raises(Exception, match="Paling banyak 3 blanko"):
        blanks_spoil(serials=serials, location=store, reason="rusak_fisik", actor=keeper, note="x")
    assert _spoiled() == 0


def test_a_printer_operator_writes_off_blanks_at_the_printer_station(
    client, operator, at_printer, printer
):
    response = _post(client, operator, printer, "KTP0001, KTP0002")

    assert response.status_code == 302
    spoiled = Blank.objects.filter(status=BlankStatus.SPOILED)
    assert sorted(spoiled.values_list("serial", flat=True)) == ["KTP0001", "KTP0002"]
    assert {m.note for m in Movement.objects.filter(kind=MovementKind.SPOIL)} == {"Rusak fisik"}


def test_the_blank_keeper_writes_off_store_room_blanks_saying_what_happened(
    client, keeper, at_printer, store
):
    response = _post(client, keeper, store, "KTP0006-KTP0008")
    assert response.status_code == 200
    assert "wajib disertai catatan" in response.text
    assert _spoiled() == 0

    response = _post(client, keeper, store, "KTP0006-KTP0008", note="Kotak terkena hujan")
    assert response.status_code == 302
    assert _spoiled() == 3
    notes = set(Movement.objects.filter(kind=MovementKind.SPOIL).values_list("note", flat=True))
    assert notes == {"Kotak terkena hujan"}


def test_one_unavailable_blank_writes_off_nothing(client, keeper, at_printer, store):
    Blank.objects.filter(serial="KTP0007").update(status=BlankStatus.LOST)

    response = _post(client, keeper, store, "KTP0006-KTP0008", note="Kotak basah")

    assert response.status_code == 200
    assert "KTP0007 (hilang)" in response.text
    assert _spoiled() == 0


def test_a_full_write_off_takes_a_few_queries_not_one_per_blank(
    receive, store, keeper, django_assert_max_num_queries
):
    receive("KTP0001-KTP0500")
    serials = serials_parse("KTP0001-KTP0500")
    with django_assert_max_num_queries(12):
        blanks_spoil(serials=serials, location=store, reason="rusak_fisik", actor=keeper, note="x")
    assert _spoiled() == 500
