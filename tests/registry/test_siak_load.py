"""The office's real backlog, taken over from SIAK's STAT_RKM codes when residents arrive."""

import pytest

from registry.models import ApplicationStatus, CardApplication
from registry.services.handover import card_hand_over
from registry.services.printing import card_print
from registry.services.resident_import import resident_import
from registry.services.siak_load import applications_load_from_siak
from stock.models import Blank, BlankStatus, Movement, MovementKind
from tests.registry.factories import make_resident, nik_for, siak_row, table_of

S = ApplicationStatus
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (None, None),
        (1, None),  # belum wajib
        (2, None),  # belum rekam
        (3, S.RECORDED),
        (4, S.PRINTED),  # card printed
        (5, S.PRINT_READY),  # PRR
        (6, S.PRINTED),  # card shipped
        (7, S.PRINT_READY),  # sent for card printing
        (8, S.ISSUED),
    ],
)
def test_each_stat_rkm_code_becomes_its_application_status(code, status):
    resident = make_resident(siak_record_status=code)
    assert applications_load_from_siak() == (0 if status is None else 1)
    assert list(resident.applications.values_list("status", flat=True)) == (
        [] if status is None else [status]
    )


def test_a_loaded_application_says_where_it_came_from_and_uses_no_blank():
    resident = make_resident(siak_record_status=4)
    applications_load_from_siak()

    application = resident.applications.get()
    assert application.loaded_from_siak and application.blank is None
    assert application.printed_at is None  # printed before this system: not this office's work
    event = application.events.get()
    assert (event.from_status, event.to_status, event.note) == ("", S.PRINTED, "Dimuat dari SIAK")
    assert event.actor.username == "sistem"
    assert not Blank.objects.exists() and not Movement.objects.exists()


def test_a_card_issued_in_siak_is_a_closed_application():
    resident = make_resident(siak_record_status=8)
    applications_load_from_siak()
    application = resident.applications.get()
    assert application.closed_at is not None
    # …so the resident can apply here later, e.g. for a lost card.
    assert not CardApplication.objects.filter(status__in=[S.SUBMITTED, S.PRINTED]).exists()


def test_loading_again_adds_nothing(make_user):
    for serial, code in enumerate((3, 5, 8), start=1):
        make_resident(nik=nik_for(serial), siak_record_status=code)
    clerk = make_user("Kepala Seksi")
    assert applications_load_from_siak(actor=clerk) == 3
    assert applications_load_from_siak(actor=clerk) == 0
    assert CardApplication.objects.count() == 3
    assert {e.actor for a in CardApplication.objects.all() for e in a.events.all()} == {clerk}


def test_what_happened_here_is_never_overwritten_by_siak(apply, resident):
    application = apply(resident)
    resident.siak_record_status = 8
    resident.save()
    assert applications_load_from_siak() == 0
    assert list(resident.applications.all()) == [application]


def test_only_the_residents_asked_for_are_loaded():
    wanted = make_resident(nik=nik_for(1), siak_record_status=5)
    make_resident(nik=nik_for(2), siak_record_status=5)
    assert applications_load_from_siak(resident_ids=[wanted.pk]) == 1
    assert CardApplication.objects.get().resident == wanted


def test_the_resident_import_loads_the_backlog(make_user):
    rows = [
        siak_row(NIK=nik_for(1), STAT_RKM="5"),
        siak_row(NIK=nik_for(2), STAT_RKM="2"),
        siak_row(NIK=nik_for(3), STAT_RKM="8"),
        siak_row(NIK=nik_for(4), STAT_RKM="6"),
    ]
    report = resident_import(table=table_of(rows), actor=make_user("Kepala Seksi"))

    assert report.applied and report.applications_loaded == 3
    loaded = dict(
        CardApplication.objects.filter(loaded_from_siak=True).values_list("resident__nik", "status")
    )
    assert loaded == {nik_for(1): S.PRINT_READY, nik_for(3): S.ISSUED, nik_for(4): S.PRINTED}


def test_importing_the_same_file_twice_loads_the_backlog_once(make_user):
    table = table_of([siak_row(NIK=nik_for(1), STAT_RKM="7")])
    clerk = make_user("Kepala Seksi")
    resident_import(table=table, actor=clerk)
    report = resident_import(table=table, actor=clerk)
    assert report.applications_loaded == 0
    assert CardApplication.objects.count() == 1


def test_a_card_printed_before_this_system_is_handed_over_here(staff):
    resident = make_resident(siak_record_status=6)
    applications_load_from_siak()
    application = card_hand_over(
        application=resident.applications.get(),
        actor=staff["handover"],
        verification_method="sidik_jari",
    )
    application.refresh_from_db()
    assert application.status == S.ISSUED and application.blank is None


@pytest.mark.parametrize("code", [5, 7])
def test_a_prr_from_siak_is_printed_here_on_one_of_the_offices_blanks(
    staff, station, stock_in, code
):
    stock_in()
    resident = make_resident(siak_record_status=code)
    applications_load_from_siak()

    application = card_print(
        application=resident.applications.get(),
        blank_serial="KTP0001",
        station=station,
        operator=staff["printing"],
    )

    application.refresh_from_db()
    assert application.status == S.PRINTED and application.blank.serial == "KTP0001"
    assert application.loaded_from_siak
    assert Blank.objects.get(serial="KTP0001").status == BlankStatus.USED
    assert Movement.objects.filter(kind=MovementKind.USE).count() == 1
