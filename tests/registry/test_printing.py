"""Printing a card on one blank at the operator's station, and the blank a failed print spoils
(DESIGN §6.2) — also with several operators at once."""

import pytest
from django.core.exceptions import ValidationError

from registry.models import ApplicationEvent, ApplicationStatus, CardApplication
from registry.services.applications import application_cancel
from registry.services.printing import card_print, card_print_failed
from stock.models import Blank, BlankStatus, Location, LocationKind, Movement, MovementKind
from stock.selectors import stock_disagreements
from tests.constraints import refused_by
from tests.registry.factories import make_resident, nik_for
from tests.threads import results_together

S = ApplicationStatus


@pytest.fixture
def ready(apply, advance, stock_in):
    """Print-ready applications of different residents, and blanks KTP0001–KTP0005 at the
    station."""
    stock_in()
    serial = iter(range(1, 100))

    def make():
        return advance(apply(make_resident(nik=nik_for(next(serial)))), S.PRINT_READY)

    return make


def _print(application, serial, station, operator):
    return card_print(
        application=application, blank_serial=serial, station=station, operator=operator
    )


def _status(serial):
    return Blank.objects.get(serial=serial).status


@pytest.mark.django_db
def test_printing_uses_the_blank_at_the_station_and_links_it_to_the_card(ready, station, staff):
    application = _print(ready(), "KTP0003", station, staff["printing"])

    application.refresh_from_db()
    assert application.status == S.PRINTED and application.blank.serial == "KTP0003"
    assert _status("KTP0003") == BlankStatus.USED
    use = Movement.objects.get(kind=MovementKind.USE)
    assert (use.blank.serial, use.reference, use.actor) == (
        "KTP0003",
        application.number,
        staff["printing"],
    )
    assert application.events.last().note == "Blanko KTP0003 di Mesin Cetak 1"
    assert stock_disagreements() == ([], [])


@pytest.mark.django_db
def test_the_serial_is_read_as_scanned(ready, station, staff):
    application = _print(ready(), "  ktp0002 ", station, staff["printing"])
    assert application.blank.serial == "KTP0002"


@pytest.mark.django_db
def test_the_blank_is_given_back_if_the_card_cannot_be_marked_printed(
    ready, station, staff, monkeypatch
):
    application = ready()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("registry.services.transitions.on_duty", broken)
    with pytest.raises(RuntimeError):
        _print(application, "KTP0001", station, staff["printing"])

    application.refresh_from_db()
    assert application.status == S.PRINT_READY and application.blank is None
    assert _status("KTP0001") == BlankStatus.IN_STOCK
    assert not Movement.objects.filter(kind=MovementKind.USE).exists()


@pytest.mark.django_db
def test_a_blank_at_another_station_is_refused(ready, station, staff, stock_in):
    other = Location.objects.create(kind=LocationKind.PRINTER, name="Mesin Cetak 2")
    stock_in("KTP0100-KTP0101", at=other)
    application = ready()

    with pytest.raises(ValidationError) as refused:
        _print(application, "KTP0100", station, staff["printing"])

    assert refused.value.messages == [
        "Blanko KTP0100 tidak berada di Mesin Cetak 1 tetapi di Mesin Cetak 2."
    ]
    application.refresh_from_db()
    assert application.status == S.PRINT_READY and application.blank is None
    assert _status("KTP0100") == BlankStatus.IN_STOCK
    assert not application.events.filter(to_status=S.PRINTED).exists()


@pytest.mark.django_db
def test_a_blank_still_in_the_store_room_is_refused(ready, station, staff, stock_in, store):
    stock_in("KTP0200-KTP0201", at=store)
    with pytest.raises(ValidationError, match="tidak berada di Mesin Cetak 1 tetapi di Gudang"):
        _print(ready(), "KTP0200", station, staff["printing"])


@pytest.mark.django_db
def test_only_an_active_printer_station_prints(ready, store, station, staff):
    application = ready()
    with pytest.raises(ValidationError, match="Gudang Dukcapil bukan mesin cetak yang aktif"):
        _print(application, "KTP0001", store, staff["printing"])
    station.active = False
    station.save()
    with pytest.raises(ValidationError, match="bukan mesin cetak yang aktif"):
        _print(application, "KTP0001", station, staff["printing"])
    assert _status("KTP0001") == BlankStatus.IN_STOCK


@pytest.mark.django_db
def test_an_unknown_serial_is_refused(ready, station, staff):
    with pytest.raises(ValidationError, match="Nomor seri tidak terdaftar: KTP9999"):
        _print(ready(), "KTP9999", station, staff["printing"])


@pytest.mark.django_db
def test_a_blank_is_never_used_for_two_cards(ready, station, staff):
    _print(ready(), "KTP0001", station, staff["printing"])
    second = ready()
    with pytest.raises(ValidationError) as refused:
        _print(second, "KTP0001", station, staff["printing"])
    assert refused.value.messages == ["Blanko KTP0001 tidak tersedia: statusnya terpakai."]
    second.refresh_from_db()
    assert second.status == S.PRINT_READY and second.blank is None


@pytest.mark.django_db
def test_a_failed_print_spoils_the_blank_and_the_card_stays_ready_to_print(ready, station, staff):
    application = ready()

    spoiled = card_print_failed(
        application=application,
        blank_serial="KTP0001",
        station=station,
        reason="gagal_cetak",
        operator=staff["printing"],
    )

    assert (spoiled.status, spoiled.spoil_reason) == (BlankStatus.SPOILED, "gagal_cetak")
    spoil = Movement.objects.get(kind=MovementKind.SPOIL)
    assert (spoil.reference, spoil.note) == (application.number, "Gagal cetak")
    application.refresh_from_db()
    assert application.status == S.PRINT_READY and application.blank is None
    assert application.events.count() == 4  # no event: the application did not move

    # The operator puts in the next blank and the card comes out.
    application = _print(application, "KTP0002", station, staff["printing"])
    assert application.status == S.PRINTED
    with pytest.raises(ValidationError, match="statusnya rusak"):
        _print(ready(), "KTP0001", station, staff["printing"])
    assert stock_disagreements() == ([], [])


@pytest.mark.django_db
def test_a_failed_print_needs_a_reason(ready, station, staff):
    with pytest.raises(ValidationError) as refused:
        card_print_failed(
            application=ready(),
            blank_serial="KTP0001",
            station=station,
            reason="",
            operator=staff["printing"],
        )
    assert refused.value.messages == ["Pilih alasan blanko rusak."]
    assert _status("KTP0001") == BlankStatus.IN_STOCK


@pytest.mark.django_db
def test_a_failed_print_is_only_for_a_card_waiting_to_be_printed(ready, station, staff):
    application = _print(ready(), "KTP0001", station, staff["printing"])
    with pytest.raises(ValidationError, match="bukan siap cetak"):
        card_print_failed(
            application=application,
            blank_serial="KTP0002",
            station=station,
            reason="gagal_cetak",
            operator=staff["printing"],
        )
    assert _status("KTP0002") == BlankStatus.IN_STOCK


@pytest.mark.django_db
def test_the_database_links_a_blank_only_to_a_card_printed_on_it(ready, station, staff):
    application = ready()
    application.blank = Blank.objects.get(serial="KTP0001")
    with refused_by("application_blank_iff_printed_here"):
        application.save(update_fields=["blank"])  # a blank on a card not printed
    application = _print(ready(), "KTP0002", station, staff["printing"])
    application.blank = None
    with refused_by("application_blank_iff_printed_here"):
        application.save(update_fields=["blank"])  # a card printed here without its blank


@pytest.mark.django_db
def test_a_printed_card_whose_application_is_cancelled_keeps_its_used_blank(ready, station, staff):
    application = _print(ready(), "KTP0001", station, staff["printing"])
    application_cancel(
        application=application, actor=staff["supervisor"], reason="Pemohon meninggal dunia"
    )
    application.refresh_from_db()
    assert application.status == S.CANCELLED and application.blank.serial == "KTP0001"
    assert _status("KTP0001") == BlankStatus.USED
    assert stock_disagreements() == ([], [])


# Several operators at once: real threads on PostgreSQL.


def _together(*works):
    outcomes, errors = results_together(*works)
    assert errors == []
    printed = [o for o in outcomes if isinstance(o, CardApplication)]
    refused = [o.messages[0] for o in outcomes if isinstance(o, ValidationError)]
    return printed, refused


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_two_operators_printing_the_same_card_on_different_blanks_make_one_card(
    ready, station, make_user, staff
):
    application = ready()
    other = make_user("Operator Cetak", username="operator-cetak-2")

    printed, refused = _together(
        lambda: _print(application, "KTP0001", station, staff["printing"]),
        lambda: _print(application, "KTP0002", station, other),
    )

    assert len(printed) == 1 and len(refused) == 1
    assert "berstatus “Tercetak, menunggu diambil”" in refused[0]
    application.refresh_from_db()
    assert application.status == S.PRINTED
    used = application.blank.serial
    unused = ({"KTP0001", "KTP0002"} - {used}).pop()
    assert _status(used) == BlankStatus.USED and _status(unused) == BlankStatus.IN_STOCK
    assert Movement.objects.filter(kind=MovementKind.USE).count() == 1
    assert ApplicationEvent.objects.filter(to_status=S.PRINTED).count() == 1
    assert stock_disagreements() == ([], [])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_two_operators_printing_different_cards_on_the_same_blank_only_one_gets_it(
    ready, station, make_user, staff
):
    first, second = ready(), ready()
    other = make_user("Operator Cetak", username="operator-cetak-2")

    printed, refused = _together(
        lambda: _print(first, "KTP0004", station, staff["printing"]),
        lambda: _print(second, "KTP0004", station, other),
    )

    assert len(printed) == 1
    assert refused == ["Blanko KTP0004 tidak tersedia: statusnya terpakai."]
    statuses = sorted(
        CardApplication.objects.filter(pk__in=[first.pk, second.pk]).values_list(
            "status", "blank__serial"
        )
    )
    assert statuses == [(S.PRINT_READY, None), (S.PRINTED, "KTP0004")]
    assert Movement.objects.filter(kind=MovementKind.USE).count() == 1
    assert stock_disagreements() == ([], [])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_a_double_click_on_print_prints_once(ready, station, staff):
    application = ready()

    def click():
        return _print(application, "KTP0005", station, staff["printing"])

    printed, refused = _together(click, click)

    assert len(printed) == 1 and len(refused) == 1
    assert "berstatus “Tercetak, menunggu diambil”" in refused[0]
    assert Movement.objects.filter(kind=MovementKind.USE).count() == 1
    assert ApplicationEvent.objects.filter(to_status=S.PRINTED).count() == 1
    assert Blank.objects.filter(status=BlankStatus.IN_STOCK).count() == 4
