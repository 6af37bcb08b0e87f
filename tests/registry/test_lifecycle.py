"""The application status table (DESIGN §6.1): every move it allows is made by its service and
logged; every move it does not allow is refused and changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from registry.lifecycle import TRANSITIONS
from registry.models import (
    OPEN_STATUSES,
    ApplicationEvent,
    ApplicationStatus,
    CardApplication,
)
from registry.services.applications import (
    application_cancel,
    application_reject,
    application_submit,
    berkas_check,
)
from registry.services.handover import card_hand_over
from registry.services.printing import card_print
from registry.services.recording import application_record, central_result_apply
from registry.services.transitions import move_require
from stock.models import Blank, BlankStatus
from tests.constraints import refused_by
from tests.registry.factories import make_resident, nik_for
from tests.threads import run_together

S = ApplicationStatus
pytestmark = pytest.mark.django_db


def _events(application):
    return [
        (e.from_status, e.to_status, e.actor.username)
        for e in ApplicationEvent.objects.filter(application=application).select_related("actor")
    ]


@pytest.fixture
def reach(apply, advance, staff, stock_in):
    """An application of a fresh resident in ``status``, by the services only."""
    stock_in()
    serial = iter(range(100, 200))

    def make(status: str, *, recorded_before: bool = False, kind: str = "baru"):
        resident = make_resident(
            nik=nik_for(next(serial)), siak_record_status=3 if recorded_before else None
        )
        application = apply(resident, kind)
        if status in (S.DUPLICATE, S.ENROLL_FAILED):
            application = advance(application, S.RECORDED)
            return central_result_apply(
                application=application, to_status=status, actor=staff["recording"]
            )
        return advance(application, status)

    return make


# One case per move of the status table: (from, to) → how the desk makes it.
def _record(a, staff, station):
    return application_record(application=a, actor=staff["recording"])


def _central(to_status):
    def run(a, staff, station):
        return central_result_apply(application=a, to_status=to_status, actor=staff["recording"])

    return run


def _print(a, staff, station):
    serial = Blank.objects.filter(status=BlankStatus.IN_STOCK).order_by("serial")[0].serial
    return card_print(
        application=a, blank_serial=serial, station=station, operator=staff["printing"]
    )


def _hand_over(a, staff, station):
    return card_hand_over(application=a, actor=staff["handover"], verification_method="wajah")


def _reject_by(role):
    def run(a, staff, station):
        return application_reject(application=a, actor=staff[role], reason="Berkas tidak asli")

    return run


def _berkas(a, staff, station):
    return berkas_check(application=a, verified_kinds=["kk"], actor=staff["registration"])


MOVES = {
    (S.SUBMITTED, S.VERIFIED): _berkas,
    (S.SUBMITTED, S.REJECTED): _reject_by("registration"),
    (S.VERIFIED, S.RECORDED): _record,
    (S.VERIFIED, S.PRINT_READY): _central(S.PRINT_READY),
    (S.VERIFIED, S.REJECTED): _reject_by("registration"),
    (S.RECORDED, S.PRINT_READY): _central(S.PRINT_READY),
    (S.RECORDED, S.DUPLICATE): _central(S.DUPLICATE),
    (S.RECORDED, S.ENROLL_FAILED): _central(S.ENROLL_FAILED),
    (S.ENROLL_FAILED, S.RECORDED): _record,
    (S.DUPLICATE, S.PRINT_READY): _central(S.PRINT_READY),
    (S.DUPLICATE, S.REJECTED): _central(S.REJECTED),
    (S.PRINT_READY, S.PRINTED): _print,
    (S.PRINTED, S.ISSUED): _hand_over,
}
for _status in OPEN_STATUSES:
    MOVES[(_status, S.CANCELLED)] = lambda a, staff, station: application_cancel(
        application=a, actor=staff["supervisor"], reason="Pemohon meninggal dunia"
    )


# Only someone recorded before may skip recording.
MOVES_SKIP = (S.VERIFIED, S.PRINT_READY)


def test_the_cases_below_cover_every_move_of_the_status_table():
    table = {(f, t) for f, moves in TRANSITIONS.items() for t in moves}
    assert table == set(MOVES)


def test_closed_applications_cannot_move_at_all():
    assert not any(TRANSITIONS.get(s) for s in (S.ISSUED, S.REJECTED, S.CANCELLED))


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (S.SUBMITTED, S.RECORDED),
        (S.SUBMITTED, S.PRINTED),
        (S.VERIFIED, S.ISSUED),
        (S.RECORDED, S.RECORDED),
        (S.ENROLL_FAILED, S.PRINT_READY),
        (S.PRINTED, S.PRINT_READY),
        (S.ISSUED, S.PRINTED),
        (S.REJECTED, S.VERIFIED),
        (S.CANCELLED, S.SUBMITTED),
    ],
)
def test_a_move_outside_the_table_is_refused_even_to_a_superuser(
    django_user_model, from_status, to_status
):
    root = django_user_model.objects.create_superuser("root", password="rahasia-uji-123")
    with pytest.raises(ValidationError) as refused:
        move_require(CardApplication(pk=7, status=from_status), to_status, root)
    assert refused.value.messages == [
        f"Permohonan PKTP-0000007 berstatus “{S(from_status).label}”; "
        f"tidak dapat menjadi “{S(to_status).label}”."
    ]


@pytest.mark.parametrize(("from_status", "to_status"), sorted(MOVES))
def test_every_allowed_move_is_made_by_its_service_and_logged_once(
    reach, staff, station, from_status, to_status
):
    application = reach(from_status, recorded_before=(from_status, to_status) == MOVES_SKIP)
    before = ApplicationEvent.objects.filter(application=application).count()

    moved = MOVES[(from_status, to_status)](application, staff, station)

    moved.refresh_from_db()
    assert moved.status == to_status
    events = ApplicationEvent.objects.filter(application=moved)
    assert events.count() == before + 1
    last = events.last()
    assert (last.from_status, last.to_status) == (from_status, to_status)
    if to_status in (S.REJECTED, S.CANCELLED, S.ISSUED):
        assert moved.closed_at == last.at
    else:
        assert moved.closed_at is None


def test_the_main_path_logs_each_step_with_who_made_it_and_stamps_its_time(
    apply, advance, resident, stock_in
):
    stock_in()
    application = advance(apply(resident), S.ISSUED)

    assert _events(application) == [
        ("", S.SUBMITTED, "petugas-pendaftaran"),
        (S.SUBMITTED, S.VERIFIED, "petugas-pendaftaran"),
        (S.VERIFIED, S.RECORDED, "operator-perekaman"),
        (S.RECORDED, S.PRINT_READY, "operator-perekaman"),
        (S.PRINT_READY, S.PRINTED, "operator-cetak"),
        (S.PRINTED, S.ISSUED, "petugas-penyerahan"),
    ]
    application.refresh_from_db()
    at = {e.to_status: e.at for e in application.events.all()}
    assert application.submitted_at == at[S.SUBMITTED]
    assert application.verified_at == at[S.VERIFIED]
    assert application.recorded_at == at[S.RECORDED]
    assert application.print_ready_at == at[S.PRINT_READY]
    assert application.printed_at == at[S.PRINTED]
    assert application.issued_at == application.closed_at == at[S.ISSUED]


def test_a_refused_move_writes_no_event(reach, staff):
    application = reach(S.SUBMITTED)
    with pytest.raises(ValidationError):
        application_record(application=application, actor=staff["recording"])
    assert _events(application) == [("", S.SUBMITTED, "petugas-pendaftaran")]


def test_the_event_log_cannot_be_changed_or_deleted(reach):
    event = reach(S.SUBMITTED).events.get()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        ApplicationEvent.objects.update(note="diubah")
    with pytest.raises(PermissionError):
        ApplicationEvent.objects.all().delete()


@pytest.mark.postgres
def test_postgresql_itself_refuses_changing_the_event_log(reach):
    reach(S.VERIFIED)
    sql = (
        "UPDATE registry_applicationevent SET note = 'x'",
        "DELETE FROM registry_applicationevent",
    )
    for statement in sql:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert ApplicationEvent.objects.count() == 2


# Forbidden moves


@pytest.mark.parametrize("status", [S.SUBMITTED, S.VERIFIED, S.RECORDED, S.DUPLICATE])
def test_a_card_cannot_be_printed_before_the_prr(reach, staff, station, status):
    application = reach(status)
    with pytest.raises(ValidationError) as refused:
        card_print(
            application=application,
            blank_serial="KTP0005",
            station=station,
            operator=staff["printing"],
        )
    assert "tidak dapat menjadi “Tercetak, menunggu diambil”" in refused.value.messages[0]
    application.refresh_from_db()
    assert application.status == status and application.blank is None
    assert Blank.objects.get(serial="KTP0005").status == BlankStatus.IN_STOCK


@pytest.mark.parametrize("status", [S.VERIFIED, S.RECORDED, S.PRINT_READY])
def test_a_card_cannot_be_handed_over_before_it_is_printed(reach, staff, status):
    application = reach(status)
    with pytest.raises(ValidationError) as refused:
        card_hand_over(
            application=application, actor=staff["handover"], verification_method="sidik_jari"
        )
    assert "tidak dapat menjadi “Diserahkan”" in refused.value.messages[0]
    application.refresh_from_db()
    assert application.status == status and application.handed_over_by is None


def test_an_issued_card_cannot_be_handed_over_again_or_cancelled(reach, staff):
    application = reach(S.ISSUED)
    with pytest.raises(ValidationError, match="berstatus “Diserahkan”"):
        _hand_over(application, staff, None)
    with pytest.raises(ValidationError):
        application_cancel(application=application, actor=staff["supervisor"], reason="Salah")
    application.refresh_from_db()
    assert application.status == S.ISSUED


def test_a_duplicate_is_blocked_until_the_central_system_resolves_it(reach, staff):
    application = reach(S.DUPLICATE)
    with pytest.raises(ValidationError):
        application_record(application=application, actor=staff["recording"])
    with pytest.raises(ValidationError):
        central_result_apply(
            application=application, to_status=S.ENROLL_FAILED, actor=staff["recording"]
        )
    application.refresh_from_db()
    assert application.status == S.DUPLICATE


def test_the_central_system_may_refuse_only_a_duplicate(reach, staff):
    application = reach(S.RECORDED)
    with pytest.raises(ValidationError, match="hanya untuk permohonan yang berstatus data ganda"):
        central_result_apply(
            application=application, to_status=S.REJECTED, actor=staff["recording"]
        )


def test_an_enrolment_failure_is_recorded_again_within_the_same_application(reach, staff):
    application = reach(S.ENROLL_FAILED)
    assert application.recorded_at is None  # the biometrics never reached the central database
    application = application_record(application=application, actor=staff["recording"])
    application.refresh_from_db()
    assert application.status == S.RECORDED and application.recorded_at is not None
    assert CardApplication.objects.filter(resident=application.resident).count() == 1


def test_after_a_failed_enrolment_is_cancelled_a_new_application_records_again(
    reach, apply, advance, staff
):
    failed = reach(S.ENROLL_FAILED)
    application_cancel(application=failed, actor=staff["supervisor"], reason="Pindah domisili")
    again = advance(apply(failed.resident), S.RECORDED)
    assert again.recorded_at is not None


# One open application per resident


def test_a_second_open_application_is_refused_with_the_first_named(apply, resident):
    first = apply(resident)
    with pytest.raises(ValidationError) as refused:
        apply(resident, "baru")
    assert refused.value.messages == [
        f"YOHANES NDOLU masih memiliki permohonan {first.number} berstatus "
        "“Berkas diterima”; selesaikan atau batalkan dulu."
    ]
    assert CardApplication.objects.count() == 1


def test_the_database_refuses_a_second_open_application(apply, resident, staff):
    apply(resident)
    with refused_by("application_one_open_per_resident"):
        CardApplication.objects.create(
            resident=resident,
            kind="baru",
            status=S.PRINT_READY,
            applicant_present=True,
            submitted_by=staff["registration"],
            submitted_at=timezone.now(),
        )


def test_a_new_application_is_taken_once_the_previous_one_is_closed(apply, resident, staff):
    first = apply(resident)
    application_cancel(application=first, actor=staff["supervisor"], reason="Salah jenis")
    second = apply(resident, "baru")
    assert second.status == S.SUBMITTED and second.pk != first.pk


# Recorded once in a lifetime


def test_a_resident_recorded_here_is_not_recorded_again_in_a_later_application(
    apply, advance, resident, staff, stock_in
):
    stock_in()
    advance(apply(resident), S.ISSUED)
    lost = advance(apply(resident, "hilang"), S.VERIFIED)

    with pytest.raises(ValidationError) as refused:
        application_record(application=lost, actor=staff["recording"])
    assert refused.value.messages == [
        "YOHANES NDOLU sudah pernah direkam; tidak direkam ulang. Tunggu PRR dari pusat."
    ]
    lost.refresh_from_db()
    assert lost.status == S.VERIFIED and lost.recorded_at is None


def test_a_resident_recorded_in_siak_before_this_system_is_not_recorded_again(
    apply, advance, staff
):
    resident = make_resident(siak_record_status=3)
    application = advance(apply(resident, "baru"), S.VERIFIED)
    with pytest.raises(ValidationError, match="sudah pernah direkam"):
        application_record(application=application, actor=staff["recording"])


def test_the_database_refuses_a_second_recording_of_the_same_resident(
    apply, advance, resident, staff
):
    first = advance(apply(resident), S.RECORDED)
    application_cancel(application=first, actor=staff["supervisor"], reason="Pindah keluar")
    second = apply(resident, "baru")
    second.recorded_at = timezone.now()
    with refused_by("application_recorded_once"):
        second.save(update_fields=["recorded_at"])


# Replacements skip recording only when the resident was recorded before


@pytest.mark.parametrize("kind", ["hilang", "rusak", "perubahan_data", "luar_domisili"])
def test_a_replacement_for_someone_recorded_before_goes_from_verified_straight_to_prr(
    apply, advance, staff, kind
):
    resident = make_resident(siak_record_status=8)
    application = advance(apply(resident, kind), S.VERIFIED)

    application = central_result_apply(
        application=application, to_status=S.PRINT_READY, actor=staff["recording"]
    )

    application.refresh_from_db()
    assert application.status == S.PRINT_READY and application.recorded_at is None
    assert [t for _, t, _ in _events(application)] == [S.SUBMITTED, S.VERIFIED, S.PRINT_READY]


@pytest.mark.parametrize("kind", ["baru", "pindah_datang", "luar_domisili"])
def test_someone_never_recorded_gets_no_prr_before_recording(apply, advance, staff, kind):
    application = advance(apply(make_resident(), kind), S.VERIFIED)
    with pytest.raises(ValidationError) as refused:
        central_result_apply(
            application=application, to_status=S.PRINT_READY, actor=staff["recording"]
        )
    assert refused.value.messages == [
        f"Permohonan {application.number} belum direkam; PRR hanya setelah perekaman."
    ]


@pytest.mark.parametrize("kind", ["hilang", "rusak", "perubahan_data"])
def test_a_card_never_made_cannot_be_replaced(apply, resident, kind):
    with pytest.raises(ValidationError) as refused:
        apply(resident, kind)
    assert (
        "belum pernah direkam, jadi belum punya KTP-el untuk diganti" in refused.value.messages[0]
    )
    assert not CardApplication.objects.exists()


# Rejecting and cancelling need a reason


@pytest.mark.parametrize(
    ("service", "role", "message"),
    [
        (application_reject, "registration", "Tuliskan alasan penolakan."),
        (application_cancel, "supervisor", "Tuliskan alasan pembatalan."),
    ],
)
def test_rejecting_or_cancelling_without_a_reason_is_refused(reach, staff, service, role, message):
    application = reach(S.SUBMITTED)
    with pytest.raises(ValidationError) as refused:
        service(application=application, actor=staff[role], reason="   ")
    assert refused.value.messages == [message]
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and application.closed_at is None
    assert application.events.count() == 1


@pytest.mark.parametrize(
    ("service", "role", "status"),
    [
        (application_reject, "registration", S.REJECTED),
        (application_cancel, "supervisor", S.CANCELLED),
    ],
)
def test_the_reason_is_kept_in_the_log(reach, staff, service, role, status):
    application = service(
        application=reach(S.SUBMITTED), actor=staff[role], reason="  KK tidak asli  "
    )
    event = application.events.last()
    assert (event.to_status, event.note, event.actor) == (status, "KK tidak asli", staff[role])


# Two clerks at once


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_two_clerks_taking_the_same_residents_application_at_once_make_only_one(make_user):
    clerk = make_user("Petugas Pendaftaran")
    resident = make_resident()

    def submit():
        application_submit(resident=resident, kind="baru", actor=clerk, applicant_present=True)

    outcomes, errors = run_together(submit, submit)

    assert errors == []
    assert outcomes.count("ok") == 1
    assert any("masih memiliki permohonan" in outcome for outcome in outcomes)
    assert CardApplication.objects.count() == 1
