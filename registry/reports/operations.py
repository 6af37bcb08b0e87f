"""Report rows of the office's operations: blanks, destruction, roster coverage, broker
indicators and the cards waiting for collection. Each reuses the owning app's selector and
adds only the layout of a report (columns, totals, masks)."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from dukcapil.days import day_start
from dukcapil.privacy import mask_number, sees_full
from registry.reports.selectors import TOTAL, column_sums, share, total_row
from registry.selectors.brokers import (
    off_duty_actions,
    refused_proxies,
    shared_helpers,
    shared_phones,
)
from shifts.selectors import CoverageCell, published_coverage
from stock.models import SpoilReason
from stock.selectors import USAGE_HEADERS, usage_report_rows


def blank_usage(*, month: dt.date) -> list[list]:
    """Laporan penggunaan blanko: the office's blanks day by day through ``month``, and the
    month: its opening stock, what came and went, its closing stock."""
    rows = usage_report_rows(year=month.year, month=month.month)
    # Columns: day, opening, received, used, spoiled, destroyed, corrections, closing.
    moved = column_sums(rows, 2, len(USAGE_HEADERS) - 1)
    return [*rows, [TOTAL, rows[0][1], *moved, rows[-1][-1]]]


BLANK_USAGE_HEADERS = USAGE_HEADERS
DESTRUCTION_HEADERS = [
    "Tanggal pemusnahan",
    "Berita acara",
    "Cara",
    "Tempat",
    *(reason.label for reason in SpoilReason),
    "Blanko dimusnahkan",
    "KTP-el lama dimusnahkan",
    "Disetujui oleh",
]


def destruction_summary(destructions: QuerySet) -> list[list]:
    """Each berita acara of the period with its blanks per spoil reason (one query)."""
    per_reason = {
        f"reason_{reason.value}": Count("blanks", filter=Q(blanks__spoil_reason=reason))
        for reason in SpoilReason
    }
    counted = (
        destructions.annotate(**per_reason, n_blanks=Count("blanks"))
        .values(
            "destroyed_on",
            "pk",
            "method",
            "place",
            "returned_old_cards",
            "approved_by__username",
            "n_blanks",
            *per_reason,
        )
        .order_by("destroyed_on", "pk")
    )
    rows = [
        [
            row["destroyed_on"],
            f"No. {row['pk']}",
            row["method"],
            row["place"],
            *(row[name] for name in per_reason),
            row["n_blanks"],
            row["returned_old_cards"],
            row["approved_by__username"] or "Belum disetujui",
        ]
        for row in counted
    ]
    return [*rows, [*total_row(rows, label_columns=4, width=len(DESTRUCTION_HEADERS) - 1), ""]]


def coverage_cells(*, start: dt.date, end: dt.date, shift=None, post=None) -> list[CoverageCell]:
    """Every (day, shift, post) a requirement names in the period, with the staff the
    published rosters put there; a day no published roster covers has nobody."""
    return [
        cell
        for cell in published_coverage(start, end)
        if (shift is None or cell.shift == shift.name) and (post is None or cell.post == post.name)
    ]


COVERAGE_HEADERS = [
    "Shift",
    "Pos",
    "Kebutuhan (orang-shift)",
    "Terisi",
    "Kurang",
    "Cakupan (%)",
    "Shift kurang petugas",
]
GAP_HEADERS = ["Tanggal", "Shift", "Pos", "Kebutuhan", "Terisi", "Kurang"]


def coverage_summary(cells: list[CoverageCell]) -> list[list]:
    """Per shift and post: the staff-shifts required in the period, those filled (up to the
    requirement), the shortfall and the shifts short of staff."""
    groups: dict[tuple[str, str], list[CoverageCell]] = defaultdict(list)
    for cell in cells:
        groups[(cell.shift, cell.post)].append(cell)
    rows = []
    for (shift, post), group in groups.items():
        required = sum(cell.required for cell in group)
        short = sum(cell.short for cell in group)
        rows.append(
            [
                shift,
                post,
                required,
                required - short,
                short,
                share(required - short, required),
                sum(1 for cell in group if cell.short),
            ]
        )
    if not rows:
        return rows
    required, filled, short = column_sums(rows, 2, 5)
    short_shifts = sum(row[-1] for row in rows)
    return [*rows, [TOTAL, "", required, filled, short, share(filled, required), short_shifts]]


def coverage_gaps(cells: list[CoverageCell]) -> list[list]:
    return [
        [cell.day, cell.shift, cell.post, cell.required, cell.filled, cell.short]
        for cell in cells
        if cell.short
    ]


BROKER_HEADERS = [
    "Indikasi",
    "Nomor / nama / petugas",
    "Permohonan",
    "Keluarga (No. KK)",
    "Kejadian",
    "Terakhir",
]


def broker_indicators(*, since: dt.date, user) -> list[list]:
    """The broker indicators since a day (registry.selectors.brokers), one row per pattern;
    a would-be collector's NIK as ``user`` may see it."""
    start = day_start(since)
    nik = (lambda value: value) if sees_full(user) else mask_number
    rows = [
        ["Nomor telepon sama, keluarga berbeda", c.value, c.applications, c.families, "", c.latest]
        for c in shared_phones(since=start)
    ]
    rows += [
        ["Pendamping sama, keluarga berbeda", c.value, c.applications, c.families, "", c.latest]
        for c in shared_helpers(since=start)
    ]
    rows += [
        [
            "Pengambilan diwakilkan ditolak",
            f"{nik(p.nik) or '—'} {p.name}",
            p.applications,
            p.families,
            p.attempts,
            p.latest,
        ]
        for p in refused_proxies(since=start)
    ]
    rows += [
        [
            "Langkah di luar jadwal dinas",
            f"{a.staff_name or a.full_name or a.username} ({a.username})",
            a.applications,
            "",
            a.events,
            a.latest,
        ]
        for a in off_duty_actions(since=start)
    ]
    return rows


READY_HEADERS = ["Kecamatan", "Kelurahan", "NIK", "Nama", "Tercetak sejak", "Menunggu (hari)"]
# Plain values, not model instances: the whole list streams at tens of thousands of rows.
READY_FIELDS = (
    "resident__village__district__name",
    "resident__village__name",
    "resident__nik",
    "resident__full_name",
    "waiting_day",
)


def ready_records(applications: QuerySet) -> QuerySet:
    """The collection queue's values for the ready list, in the order it is announced; the
    WITA day each card has waited since is the database's to work out, not each row's."""
    waiting_day = TruncDate("waiting_since", tzinfo=timezone.get_current_timezone())
    return (
        applications.annotate(waiting_day=waiting_day)
        .order_by("resident__village__code", "waiting_since", "id")
        .values_list(*READY_FIELDS)
    )


def ready_row(values: tuple, *, today: dt.date) -> list:
    """A card waiting for its owner, for public announcement: the NIK masked for everyone."""
    district, village, nik, name, waiting_day = values
    return [district, village, mask_number(nik), name, waiting_day, (today - waiting_day).days]
