"""The numbers of the operations reports on a small known history: blank usage, destruction,
roster coverage and gaps, broker indicators and the cards ready for collection."""

import calendar
import datetime as dt

import pytest
from django.utils import timezone

from registry.models import ApplicationStatus, CardApplication, HandoverRefusal, Village
from shifts.models import (
    Assignment,
    CoverageRequirement,
    Post,
    Roster,
    RosterStatus,
    ShiftType,
    Staff,
)
from stock.services import blank_spoil
from stock.services.destructions import destruction_create
from tests.registry.factories import make_resident, nik_for
from tests.registry.test_reports_progress import table, wita

S = ApplicationStatus
pytestmark = pytest.mark.django_db


def test_blank_usage_shows_each_day_of_the_month_and_the_months_totals(
    stock_in, station, staff, apply, advance, resident
):
    stock_in("KTP0001-KTP0005")
    advance(apply(resident), S.PRINTED)
    blank_spoil(serial="KTP0005", location=station, reason="gagal_cetak", actor=staff["printing"])
    today = timezone.localdate()
    rows = table("penggunaan-blanko", bulan=f"{today:%Y-%m}")
    assert rows[today.day - 1] == [today, 0, 5, 1, 1, 0, 0, 3]
    assert rows[-1] == ["Jumlah", 0, 5, 1, 1, 0, 0, 3]
    assert len(rows) == calendar.monthrange(today.year, today.month)[1] + 1


def test_destruction_summary_counts_blanks_per_reason_and_old_cards(stock_in, station, staff):
    stock_in("KTP0001-KTP0003")
    for serial, reason in (
        ("KTP0001", "gagal_cetak"),
        ("KTP0002", "gagal_cetak"),
        ("KTP0003", "tanpa_chip"),
    ):
        blank_spoil(serial=serial, location=station, reason=reason, actor=staff["printing"])
    today = timezone.localdate()
    record = destruction_create(
        serials=["KTP0001", "KTP0002", "KTP0003"],
        destroyed_on=today,
        witnesses="SAKSI SATU — Lurah\nSAKSI DUA — Polisi",
        actor=staff["keeper"],
        place="Halaman kantor",
        returned_old_cards=4,
    )
    rows = table("pemusnahan", dari=today.isoformat(), sampai=today.isoformat())
    assert rows == [
        [
            today,
            f"No. {record.pk}",
            "Dibakar",
            "Halaman kantor",
            0,
            0,
            2,
            0,
            1,
            3,
            4,
            "Belum disetujui",
        ],
        ["Jumlah", "", "", "", 0, 0, 2, 0, 1, 3, 4, ""],
    ]
    before = (today - dt.timedelta(days=1)).isoformat()
    assert table("pemusnahan", dari=before, sampai=before) == [
        ["Jumlah", "", "", "", 0, 0, 0, 0, 0, 0, 0, ""]
    ]


@pytest.fixture
def roster_with_gaps(db):
    """Two staff needed at the recording post every morning; one rostered on 3 February, nobody
    on 4 February, and no published roster at all for 5 February."""
    morning, recording = ShiftType.objects.get(code="P"), Post.objects.get(code="REK")
    CoverageRequirement.objects.all().delete()
    CoverageRequirement.objects.create(shift_type=morning, post=recording, min_staff=2)
    roster = Roster.objects.create(
        period_start=dt.date(2020, 2, 3),
        period_end=dt.date(2020, 2, 4),
        status=RosterStatus.PUBLISHED,
        published_at=wita(2020, 2, 1, 8),
    )
    person = Staff.objects.create(nip="198504122010031001", name="ANA TALAN")
    Assignment.objects.create(
        roster=roster, date=dt.date(2020, 2, 3), shift_type=morning, staff=person, post=recording
    )
    return morning, recording


PERIOD = {"dari": "2020-02-03", "sampai": "2020-02-05"}


def test_coverage_sums_requirements_against_the_published_roster(roster_with_gaps):
    morning, recording = roster_with_gaps
    assert table("cakupan-jadwal", **PERIOD) == [
        [morning.name, recording.name, 6, 1, 5, 16.7, 3],
        ["Jumlah", "", 6, 1, 5, 16.7, 3],
    ]
    other = Post.objects.exclude(pk=recording.pk).first()
    assert table("cakupan-jadwal", pos=other.pk, **PERIOD) == []


def test_gaps_list_every_shift_short_of_staff(roster_with_gaps):
    morning, recording = roster_with_gaps
    assert table("kekurangan-jadwal", **PERIOD) == [
        [dt.date(2020, 2, 3), morning.name, recording.name, 2, 1, 1],
        [dt.date(2020, 2, 4), morning.name, recording.name, 2, 0, 2],
        [dt.date(2020, 2, 5), morning.name, recording.name, 2, 0, 2],
    ]


def test_broker_indicators_list_shared_phones_and_refused_proxies(apply, staff):
    first = apply(make_resident(nik=nik_for(1), kk_number="5371012001150003"), phone="081234")
    apply(make_resident(nik=nik_for(2), kk_number="5371012001150013"), phone="081234")
    HandoverRefusal.objects.create(
        application=first,
        at=timezone.now(),
        actor=staff["handover"],
        proxy_name="KETUA RT",
        proxy_nik="5371010101800001",
        reason="Bukan pemilik kartu.",
    )
    rows = table("indikasi-calo", dari=timezone.localdate().isoformat())
    assert [row[:5] for row in rows] == [
        ["Nomor telepon sama, keluarga berbeda", "081234", 2, 2, ""],
        ["Pengambilan diwakilkan ditolak", "537101******0001 KETUA RT", 1, 1, 1],
    ]


def test_ready_list_is_ordered_by_kelurahan_and_masks_every_nik(staff):
    villages = list(Village.objects.order_by("code")[:2])
    for serial, village in ((1, villages[1]), (2, villages[0])):
        CardApplication.objects.create(
            resident=make_resident(nik=nik_for(serial), village=village, full_name=f"P{serial}"),
            kind="baru",
            status=S.PRINTED,
            applicant_present=True,
            submitted_by=staff["registration"],
            submitted_at=timezone.now() - dt.timedelta(days=3),
            printed_at=timezone.now() - dt.timedelta(days=2),
            loaded_from_siak=True,
        )
    rows = table("siap-diambil")
    assert [row[1:4] for row in rows] == [
        [villages[0].name, f"{nik_for(2)[:6]}******{nik_for(2)[12:]}", "P2"],
        [villages[1].name, f"{nik_for(1)[:6]}******{nik_for(1)[12:]}", "P1"],
    ]
    assert rows[0][5] == 2
    assert table("siap-diambil", kelurahan=villages[1].pk)[0][3] == "P1"
