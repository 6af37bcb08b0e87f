"""The numbers of the application reports on a small known history: progress per day and per
kelurahan, e-KTP ownership, the backlog by age, lead times and throughput — through each
report's filters, as the page and the downloads build them."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from registry.models import (
    ApplicationEvent,
    ApplicationStatus,
    CardApplication,
    DailyStepCount,
    Village,
)
from registry.reports.definitions import REPORTS_BY_SLUG
from registry.selectors.campaign import step_counts
from shifts.models import Assignment, Post, Roster, RosterStatus, ShiftType, Staff
from tests.registry.factories import make_resident, nik_for

S = ApplicationStatus
pytestmark = pytest.mark.django_db


def wita(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def table(slug: str, **query) -> list[list]:
    report = REPORTS_BY_SLUG[slug]
    found = report.filters(QueryDict(urlencode(query)))
    assert found.is_valid(), found.errors
    return [list(row) for row in report.build(found, AnonymousUser()).all_rows()]


@pytest.fixture
def villages(db):
    home = Village.objects.get(code="53.71.01.1001")
    away = Village.objects.exclude(district=home.district).order_by("code").first()
    return home, away


@pytest.fixture
def make_application(staff, villages):
    serials = iter(range(1, 1000))

    def make(*, village=None, status=S.SUBMITTED, resident=None, **stamps) -> CardApplication:
        stamps.setdefault("submitted_at", wita(2020, 2, 3, 8))
        return CardApplication.objects.create(
            resident=resident
            or make_resident(nik=nik_for(next(serials)), village=village or villages[0]),
            kind="baru",
            status=status,
            applicant_present=True,
            submitted_by=staff["registration"],
            loaded_from_siak=stamps.pop("loaded", False),
            **stamps,
        )

    return make


@pytest.fixture
def log(staff):
    def write(application, from_status, to_status, at, *, actor=None, assignment=None):
        ApplicationEvent.objects.create(
            application=application,
            from_status=from_status,
            to_status=to_status,
            at=at,
            actor=actor or staff["registration"],
            assignment=assignment,
        )

    return write


@pytest.fixture
def history(make_application, log, villages):
    """Three days of February 2020 in Kupang (WITA), in two kelurahan of two kecamatan."""
    away = villages[1]
    first, second = make_application(), make_application()
    third = make_application(village=away)
    loaded = make_application(status=S.PRINTED, loaded=True)
    log(first, "", S.SUBMITTED, wita(2020, 2, 3, 8))
    log(second, "", S.SUBMITTED, wita(2020, 2, 3, 23, 30))  # late evening: still 3 February
    log(third, "", S.SUBMITTED, wita(2020, 2, 4, 0, 10))  # just after midnight: 4 February
    log(first, S.SUBMITTED, S.VERIFIED, wita(2020, 2, 3, 9))
    log(first, S.VERIFIED, S.RECORDED, wita(2020, 2, 4, 10))
    log(first, S.RECORDED, S.ENROLL_FAILED, wita(2020, 2, 4, 11))
    log(first, S.ENROLL_FAILED, S.RECORDED, wita(2020, 2, 4, 12))  # the same person again
    log(loaded, "", S.PRINTED, wita(2020, 2, 4, 7))  # SIAK's loading: no work done here
    log(loaded, S.PRINTED, S.ISSUED, wita(2020, 2, 4, 13))
    log(third, S.SUBMITTED, S.VERIFIED, wita(2020, 2, 6, 9))  # after the period


PERIOD = {"dari": "2020-02-03", "sampai": "2020-02-05"}


def test_progress_per_day_counts_each_step_on_its_wita_day(history):
    assert table("progres-harian", **PERIOD) == [
        [dt.date(2020, 2, 3), 2, 1, 0, 0, 0, 0],
        [dt.date(2020, 2, 4), 1, 0, 1, 0, 0, 1],
        [dt.date(2020, 2, 5), 0, 0, 0, 0, 0, 0],
        ["Jumlah", 3, 1, 1, 0, 0, 1],
    ]


def test_progress_per_day_keeps_to_the_kecamatan_asked_for(history, villages):
    rows = table("progres-harian", kecamatan=villages[1].district_id, **PERIOD)
    assert rows[-1] == ["Jumlah", 1, 0, 0, 0, 0, 0]


def test_progress_per_kelurahan_lists_every_kelurahan_of_the_filter(history, villages):
    home, away = villages
    rows = table("progres-wilayah", **PERIOD)
    assert len(rows) == Village.objects.count() + 1
    by_name = {row[1]: row for row in rows}
    assert by_name[home.name] == [home.district.name, home.name, 2, 1, 1, 0, 0, 1]
    assert by_name[away.name] == [away.district.name, away.name, 1, 0, 0, 0, 0, 0]
    assert rows[-1] == ["Jumlah", "", 3, 1, 1, 0, 0, 1]
    only = table("progres-wilayah", kelurahan=away.pk, **PERIOD)
    assert only == [
        [away.district.name, away.name, 1, 0, 0, 0, 0, 0],
        ["Jumlah", "", 1, 0, 0, 0, 0, 0],
    ]


def test_progress_reads_closed_days_from_the_summary_and_a_late_step_too(
    history, villages, make_application, log
):
    by_day, by_region = table("progres-harian", **PERIOD), table("progres-wilayah", **PERIOD)

    # What the dashboard does every day: closed days summarised, per kelurahan and in all.
    step_counts(first=dt.date(2020, 2, 1), until=wita(2020, 2, 10), summarise=True)

    submitted = DailyStepCount.objects.filter(day=dt.date(2020, 2, 3), step=S.SUBMITTED)
    assert dict(submitted.values_list("village", "applications")) == {villages[0].pk: 2, None: 2}
    assert table("progres-harian", **PERIOD) == by_day
    assert table("progres-wilayah", **PERIOD) == by_region

    # Logged after its day was summarised (as the demo history does): it counts all the same.
    log(make_application(village=villages[1]), "", S.SUBMITTED, wita(2020, 2, 5, 9))
    assert table("progres-harian", **PERIOD)[2] == [dt.date(2020, 2, 5), 1, 0, 0, 0, 0, 0]
    away = table("progres-wilayah", kecamatan=villages[1].district_id, **PERIOD)
    assert [row[2] for row in away if row[1] == villages[1].name] == [2]


def test_ownership_counts_siak_and_this_office_once_per_obliged_resident(
    make_application, villages
):
    home, away = villages
    adult = {"birth_date": dt.date(1990, 1, 27), "marital_status": "BELUM_KAWIN"}

    def person(serial, village=home, **fields):
        return make_resident(nik=nik_for(500 + serial), village=village, **(adult | fields))

    person(1, siak_record_status=3)  # recorded in SIAK
    here = person(2)
    make_application(
        resident=here,
        status=S.PRINTED,
        recorded_at=wita(2020, 2, 4),
        printed_at=wita(2020, 2, 5),
        loaded=True,
    )
    issued = person(3, siak_record_status=8)  # card in hand, and a replacement issued here
    make_application(
        resident=issued,
        status=S.ISSUED,
        printed_at=wita(2020, 2, 5),
        issued_at=wita(2020, 2, 6),
        loaded=True,
    )
    person(4, birth_date=dt.date(2015, 1, 1), siak_record_status=3)  # a child: not obliged
    person(5, life_status="MENINGGAL", siak_record_status=3)  # deceased
    person(6, birth_date=dt.date(2015, 1, 1), marital_status="KAWIN")  # married: obliged
    person(7, village=away)

    rows = table("kepemilikan-ktp-el")
    by_name = {row[1]: row for row in rows}
    assert by_name[home.name] == [home.district.name, home.name, 4, 3, 75.0, 2, 50.0, 1, 25.0]
    assert by_name[away.name] == [away.district.name, away.name, 1, 0, 0.0, 0, 0.0, 0, 0.0]
    assert rows[-1] == ["Jumlah", "", 5, 3, 60.0, 2, 40.0, 1, 20.0]
    empty = next(row for row in rows if row[2] == 0)
    assert empty[4] is None  # no share of nobody
    assert table("kepemilikan-ktp-el", kelurahan=away.pk)[0][1] == away.name


def test_backlog_counts_open_applications_by_status_and_whole_days_waited(make_application):
    today = timezone.localdate()

    def days_ago(days: int, hour: int = 9) -> dt.datetime:
        return timezone.make_aware(
            dt.datetime.combine(today - dt.timedelta(days=days), dt.time(hour))
        )

    for age in (0, 2, 3, 7, 8, 30, 31):
        make_application(submitted_at=days_ago(age, hour=23 if age == 2 else 0))
    make_application(status=S.VERIFIED, submitted_at=days_ago(40), verified_at=days_ago(1))
    make_application(status=S.RECORDED, submitted_at=days_ago(40), loaded=True)
    make_application(status=S.ISSUED, submitted_at=days_ago(40), issued_at=days_ago(1), loaded=True)
    assert table("tunggakan") == [
        ["Berkas diterima", 2, 2, 2, 1, 7],
        ["Berkas lengkap", 1, 0, 0, 0, 1],
        ["Sudah rekam", 0, 0, 0, 1, 1],
        ["Jumlah", 3, 2, 2, 2, 9],
    ]
    assert table("tunggakan", status=S.VERIFIED) == [
        ["Berkas lengkap", 1, 0, 0, 0, 1],
        ["Jumlah", 1, 0, 0, 0, 1],
    ]


@pytest.fixture
def lead_history(make_application):
    start = wita(2020, 2, 1, 8)
    for days in (1, 2, 3, 4):
        make_application(
            status=S.RECORDED, submitted_at=start, recorded_at=start + dt.timedelta(days=days)
        )
    make_application(
        status=S.PRINTED,
        submitted_at=wita(2020, 2, 20, 8),
        recorded_at=wita(2020, 3, 1, 8),  # ten days (2020 is a leap year), finished in March
        print_ready_at=wita(2020, 3, 1, 20),
        printed_at=wita(2020, 3, 2, 8),
        loaded=True,
    )
    make_application(
        status=S.PRINTED,
        print_ready_at=wita(2020, 3, 1, 8),
        printed_at=wita(2020, 3, 2, 20),
        loaded=True,
    )


def test_lead_times_give_the_median_and_90th_percentile_per_month_and_step(lead_history):
    assert table("waktu-proses", dari="2020-02-01", sampai="2020-03-31") == [
        ["Februari 2020", "Berkas → rekam", 4, 2.5, 3.7],
        ["Maret 2020", "Berkas → rekam", 1, 10.0, 10.0],
        ["Maret 2020", "Rekam → PRR", 1, 0.5, 0.5],
        ["Maret 2020", "PRR → cetak", 2, 1.0, 1.4],
    ]
    assert table("waktu-proses", dari="2020-03-01", sampai="2020-03-31")[0][0] == "Maret 2020"


@pytest.mark.postgres
def test_lead_times_agree_with_postgresqls_percentile_cont(lead_history):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY recorded_at - submitted_at),"
            " percentile_cont(0.9) WITHIN GROUP (ORDER BY recorded_at - submitted_at)"
            " FROM registry_cardapplication WHERE recorded_at < %s",
            [wita(2020, 3, 1)],
        )
        median, p90 = cursor.fetchone()
    row = table("waktu-proses", dari="2020-02-01", sampai="2020-02-29")[0]
    assert row[3:] == [
        round(median.total_seconds() / 86400, 1),
        round(p90.total_seconds() / 86400, 1),
    ]


@pytest.fixture
def on_duty(staff):
    """The recording clerk on the morning shift at the recording post, 4 February 2020."""
    roster = Roster.objects.create(
        period_start=dt.date(2020, 2, 1),
        period_end=dt.date(2020, 2, 29),
        status=RosterStatus.PUBLISHED,
        published_at=wita(2020, 1, 25, 8),
    )
    person = Staff.objects.create(
        nip="198504122010031001", name="ANA TALAN", user=staff["recording"]
    )
    return Assignment.objects.create(
        roster=roster,
        date=dt.date(2020, 2, 4),
        shift_type=ShiftType.objects.get(code="P"),
        staff=person,
        post=Post.objects.get(code="REK"),
    )


def test_throughput_counts_steps_per_shift_post_and_operator(make_application, log, staff, on_duty):
    application = make_application(status=S.RECORDED)
    recording = staff["recording"]
    log(application, "", S.SUBMITTED, wita(2020, 2, 3, 8))
    log(application, S.SUBMITTED, S.VERIFIED, wita(2020, 2, 3, 9))
    on_shift = ((S.VERIFIED, S.RECORDED, 9), (S.RECORDED, S.ENROLL_FAILED, 10))
    for before, after, hour in on_shift:
        log(application, before, after, wita(2020, 2, 4, hour), actor=recording, assignment=on_duty)
    log(make_application(status=S.PRINTED, loaded=True), "", S.PRINTED, wita(2020, 2, 4, 7))
    by_shift = table("kinerja", per="shift", **PERIOD)
    assert by_shift == [
        ["Pagi", 0, 0, 1, 0, 0, 0, 1, 2],
        ["Di luar jadwal", 1, 1, 0, 0, 0, 0, 0, 2],
        ["Jumlah", 1, 1, 1, 0, 0, 0, 1, 4],
    ]
    by_post = table("kinerja", per="pos", **PERIOD)
    assert by_post[0][0] == on_duty.post.name
    by_operator = table("kinerja", per="petugas", **PERIOD)
    assert [row[0] for row in by_operator] == [
        f"ANA TALAN ({recording.username})",
        f"{staff['registration'].username} ({staff['registration'].username})",
        "Jumlah",
    ]
    assert table("kinerja", per="petugas", petugas=recording.pk, **PERIOD)[-1][-1] == 2
    assert table("kinerja", per="shift", pos=on_duty.post_id, **PERIOD)[-1][-1] == 2
