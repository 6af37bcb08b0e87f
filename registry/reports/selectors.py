"""Set-based reads for the report pages: each report is a fixed number of grouped queries,
whatever the size of the register and the event log. Python only lays out what comes back
(the days of the period, the kelurahan, the statuses), never walks the records themselves.

Work is counted from the event log: an application counts on the WITA day a clerk took that
step here. What SIAK loaded (events without a from-status) was done before this system and
never counts as work.
"""

import datetime as dt
from collections.abc import Sequence

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format

from dukcapil.days import day_start
from registry.models import (
    OPEN_STATUSES,
    ApplicationStatus,
    CardApplication,
    LifeStatus,
    Resident,
    SiakRecordStatus,
    Village,
)
from registry.models.applications import LEAD_STAMPS, STAMPED
from registry.models.residents import eligible_q
from registry.reports.percentiles import percentiles
from registry.selectors.campaign import NOT_LOADED, OFF_ROSTER, step_counts

S, R = ApplicationStatus, SiakRecordStatus
TOTAL = "Jumlah"
# The steps of the progress reports (registry.selectors.campaign.PROGRESS): recording counts
# once per application, as on the dashboard.
PROGRESS_STEPS: tuple[tuple[str, str], ...] = (
    ("Berkas diterima", S.SUBMITTED),
    ("Berkas lengkap", S.VERIFIED),
    ("Rekam", S.RECORDED),
    ("PRR", S.PRINT_READY),
    ("Cetak", S.PRINTED),
    ("Serah", S.ISSUED),
)
PROGRESS_HEADERS = [label for label, _ in PROGRESS_STEPS]
# Throughput counts every step a clerk takes, re-recordings and refusals included.
THROUGHPUT_STEPS: tuple[tuple[str, Q], ...] = (
    *((label, Q(to_status=step)) for label, step in PROGRESS_STEPS),
    ("Langkah lain", Q(to_status__in=(S.REJECTED, S.DUPLICATE, S.ENROLL_FAILED, S.CANCELLED))),
)
THROUGHPUT_HEADERS = [*(label for label, _ in THROUGHPUT_STEPS), "Total langkah"]


def _tz():
    return timezone.get_current_timezone()


def _step_counts(steps: Sequence[tuple[str, Q]]) -> dict[str, Count]:
    return {f"step{i}": Count("pk", filter=q) for i, (_, q) in enumerate(steps)}


def _counts(row: dict, steps: Sequence) -> list[int]:
    return [row[f"step{i}"] for i in range(len(steps))]


def column_sums(rows: Sequence[Sequence], start: int, stop: int) -> list:
    """The sum of each column from ``start`` up to ``stop`` (zeros when there are no rows)."""
    return [sum(row[i] for row in rows) for i in range(start, stop)]


def total_row(rows: Sequence[Sequence], *, label_columns: int, width: int) -> list:
    """The last row of a table: "Jumlah", blank label columns, and each number column's sum."""
    blanks = [""] * (label_columns - 1)
    return [TOTAL, *blanks, *column_sums(rows, label_columns, width)]


def period_days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _progress(
    *, start: dt.date, end: dt.date, villages: QuerySet | None, per: int
) -> dict[object, list[int]]:
    """WITA day (``per`` 0) or kelurahan (1) → applications at each step of the period, in
    the kelurahan of ``villages`` or in all (None). Closed days come from the summary
    (``registry.selectors.campaign.step_counts``): a few queries, whatever the size of the log.
    """
    until = day_start(end + dt.timedelta(days=1))
    index = {step: i for i, (_, step) in enumerate(PROGRESS_STEPS)}
    found: dict[object, list[int]] = {}
    for key, n in step_counts(first=start, until=until, villages=villages).items():
        found.setdefault(key[per], [0] * len(PROGRESS_STEPS))[index[key[2]]] += n
    return found


def progress_by_day(*, start: dt.date, end: dt.date, villages: QuerySet | None) -> list[list]:
    """Per WITA day of the period: applications at each step, and the totals."""
    by_day = _progress(start=start, end=end, villages=villages, per=0)
    zeros = [0] * len(PROGRESS_STEPS)
    rows = [[day, *by_day.get(day, zeros)] for day in period_days(start, end)]
    return [*rows, total_row(rows, label_columns=1, width=1 + len(PROGRESS_STEPS))]


def progress_by_region(*, start: dt.date, end: dt.date, villages: QuerySet) -> list[list]:
    """Per kelurahan (all of them, in code order): applications at each step in the period."""
    by_village = _progress(start=start, end=end, villages=villages, per=1)
    zeros = [0] * len(PROGRESS_STEPS)
    rows = [
        [district, name, *by_village.get(pk, zeros)]
        for pk, district, name in villages.values_list("pk", "district__name", "name")
    ]
    return [*rows, total_row(rows, label_columns=2, width=2 + len(PROGRESS_STEPS))]


# STAT_RKM codes of people SIAK knows as recorded, with a card printed, with a card issued.
SIAK_RECORDED = (
    R.RECORDED,
    R.CARD_PRINTED,
    R.PRINT_READY,
    R.CARD_SHIPPED,
    R.SENT_FOR_PRINTING,
    R.CARD_ISSUED,
)
SIAK_PRINTED = (R.CARD_PRINTED, R.CARD_SHIPPED, R.CARD_ISSUED)
SIAK_ISSUED = (R.CARD_ISSUED,)
OWNERSHIP_STEPS = (
    ("rekam", SIAK_RECORDED, "recorded_at"),
    ("cetak", SIAK_PRINTED, "printed_at"),
    ("serah", SIAK_ISSUED, "issued_at"),
)
OWNERSHIP_HEADERS = [
    "Kecamatan",
    "Kelurahan",
    "Wajib KTP-el",
    "Sudah rekam",
    "% rekam",
    "Sudah dicetak",
    "% cetak",
    "Sudah diserahkan",
    "% serah",
]


def through(relation: str, condition: Q) -> Q:
    """``condition`` on a related model, asked from the model that points at it."""
    moved = Q()
    moved.connector, moved.negated = condition.connector, condition.negated
    moved.children = [
        through(relation, child) if isinstance(child, Q) else (f"{relation}__{child[0]}", child[1])
        for child in condition.children
    ]
    return moved


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _ownership_row(head: list, wajib: int, counts: Sequence[int]) -> list:
    row = [*head, wajib]
    for n in counts:
        row += [n, share(n, wajib)]
    return row


def ownership(*, villages: QuerySet, today: dt.date | None = None) -> list[list]:
    """Kepemilikan KTP-el per kelurahan: the living residents obliged to hold one (wajib KTP),
    how many are recorded, have a card printed and in hand — in SIAK before this system or
    here since — and their shares, with the total of the kelurahan shown.

    Two grouped queries: SIAK's status from the residents, and what happened here from the
    applications of the residents SIAK did not already count.
    """
    alive = Q(life_status=LifeStatus.ALIVE)
    obliged = Resident.objects.filter(alive, eligible_q(today))
    in_siak = (
        obliged.filter(village__in=villages)
        .values("village")
        .annotate(
            wajib=Count("pk"),
            **{
                name: Count("pk", filter=Q(siak_record_status__in=codes))
                for name, codes, _ in OWNERSHIP_STEPS
            },
        )
        .order_by()
    )
    # The residents' own conditions through the application's join, not a second scan; only
    # applications with a stamp count, which an index of their own holds.
    here = (
        CardApplication.objects.filter(
            STAMPED,
            through("resident", alive),
            through("resident", eligible_q(today)),
            resident__village__in=villages,
        )
        .values("resident__village")
        .annotate(
            **{
                name: Count(
                    "resident",
                    distinct=True,
                    filter=Q(**{f"{stamp}__isnull": False})
                    & ~Q(resident__siak_record_status__in=codes),
                )
                for name, codes, stamp in OWNERSHIP_STEPS
            }
        )
        .order_by()
    )
    names = [name for name, _, _ in OWNERSHIP_STEPS]
    figures = {row["village"]: [row["wajib"], *(row[n] for n in names)] for row in in_siak}
    for row in here:
        village = figures.setdefault(row["resident__village"], [0] * (len(names) + 1))
        for i, name in enumerate(names, start=1):
            village[i] += row[name]
    empty = [0] * (len(names) + 1)
    rows = []
    for pk, district, name in villages.values_list("pk", "district__name", "name"):
        wajib, *counts = figures.get(pk, empty)
        rows.append(_ownership_row([district, name], wajib, counts))
    # Columns: kecamatan, kelurahan, wajib, then each count and its share.
    wajib = sum(row[2] for row in rows)
    counts = [sum(row[i] for row in rows) for i in range(3, len(OWNERSHIP_HEADERS), 2)]
    return [*rows, _ownership_row([TOTAL, ""], wajib, counts)]


# Age buckets of the backlog in whole WITA days: (fewest, most or None, label).
AGE_BUCKETS = (
    (0, 2, "0–2 hari"),
    (3, 7, "3–7 hari"),
    (8, 30, "8–30 hari"),
    (31, None, "> 30 hari"),
)
BACKLOG_HEADERS = ["Status", *(label for _, _, label in AGE_BUCKETS), "Jumlah"]
# When an open application reached the status it waits in, from its denormalised stamps; a
# stamp SIAK's loading never set falls back to the loading (its submitted_at).
_WAITING_SINCE = {
    S.SUBMITTED: ("submitted_at",),
    S.VERIFIED: ("verified_at", "submitted_at"),
    S.RECORDED: ("recorded_at", "submitted_at"),
    S.PRINT_READY: ("print_ready_at", "submitted_at"),
    S.PRINTED: ("printed_at", "submitted_at"),
    # Marked from a recording (or a failed one, which clears its recorded_at).
    S.DUPLICATE: ("recorded_at", "verified_at", "submitted_at"),
    S.ENROLL_FAILED: ("verified_at", "submitted_at"),
}


def _waiting_since():
    return Case(
        *(
            When(status=status, then=Coalesce(*fields) if len(fields) > 1 else F(fields[0]))
            for status, fields in _WAITING_SINCE.items()
        ),
        default=F("submitted_at"),
    )


def backlog(applications: QuerySet, *, today: dt.date | None = None) -> list[list]:
    """Open applications per status and how long they have waited in it (one query)."""
    today = today or timezone.localdate()
    buckets = {}
    for i, (fewest, most, _) in enumerate(AGE_BUCKETS):
        # Reached the status on WITA day D: its age is today − D.
        age = Q(since__lt=day_start(today - dt.timedelta(days=fewest - 1)))
        if most is not None:
            age &= Q(since__gte=day_start(today - dt.timedelta(days=most)))
        buckets[f"age{i}"] = Count("pk", filter=age)
    counted = (
        applications.filter(status__in=OPEN_STATUSES)
        .alias(since=_waiting_since())
        .values("status")
        .annotate(**buckets)
        .order_by()
    )
    by_status = {
        row["status"]: [row[f"age{i}"] for i in range(len(AGE_BUCKETS))] for row in counted
    }
    rows = [
        [status.label, *counts, sum(counts)]
        for status in OPEN_STATUSES
        if (counts := by_status.get(status))
    ]
    return [*rows, total_row(rows, label_columns=1, width=len(BACKLOG_HEADERS))]


# The steps between which lead times are measured, by their denormalised stamps.
LEAD_STEPS = tuple(
    (label, since, until)
    for label, (since, until) in zip(
        ("Berkas → rekam", "Rekam → PRR", "PRR → cetak", "Cetak → serah"), LEAD_STAMPS, strict=True
    )
)
LEAD_PERCENTS = (50, 90)
LEAD_HEADERS = ["Bulan", "Tahap", "Permohonan", "Median (hari)", "Persentil 90 (hari)"]
_DAY_SECONDS = 86_400


def lead_times(applications: QuerySet, *, start: dt.date, end: dt.date) -> list[list]:
    """Per month and step: how many applications finished the step in the period, and the
    median and 90th percentile of the days it took (one query per step).

    A step is counted in the month it was finished. Applications SIAK loaded carry none of
    the stamps of the steps taken before, so they only count from the first step taken here.
    """
    found = []
    for label, since, until in LEAD_STEPS:
        # No ordering: the ranking sorts what it needs, and the list's default would sort again.
        taken = applications.filter(
            **{
                f"{since}__isnull": False,
                f"{until}__gte": day_start(start),
                f"{until}__lt": day_start(end + dt.timedelta(days=1)),
            }
        ).order_by()
        per_month = percentiles(
            taken,
            value=ExpressionWrapper(F(until) - F(since), output_field=DurationField()),
            group=TruncMonth(until, tzinfo=_tz(), output_field=DateField()),
            percents=LEAD_PERCENTS,
        )
        for month, (size, values) in per_month.items():
            days = [round(values[p].total_seconds() / _DAY_SECONDS, 1) for p in LEAD_PERCENTS]
            found.append([month, label, size, *days])
    order = {label: i for i, (label, _, _) in enumerate(LEAD_STEPS)}
    found.sort(key=lambda row: (row[0], order[row[1]]))
    return [[date_format(row[0], "F Y"), *row[1:]] for row in found]


THROUGHPUT_GROUPS = {
    "shift": ("Shift", ("assignment__shift_type__start", "assignment__shift_type__name")),
    "pos": ("Pos", ("assignment__post__code", "assignment__post__name")),
    "petugas": (
        "Petugas",
        ("actor__username", "actor__first_name", "actor__last_name", "actor__staff__name"),
    ),
}


def _throughput_label(by: str, key: tuple) -> str:
    if by == "petugas":
        username, first, last, staff = key
        return f"{staff or f'{first} {last}'.strip() or username} ({username})"
    return key[1] or OFF_ROSTER


def throughput(events: QuerySet, *, by: str) -> tuple[list[str], list[list]]:
    """Steps taken per shift, post or operator (the roster assignment each event names, or
    "di luar jadwal"), one query."""
    title, fields = THROUGHPUT_GROUPS[by]
    counted = (
        events.filter(NOT_LOADED)
        .values(*fields)
        .annotate(**_step_counts(THROUGHPUT_STEPS), total=Count("pk"))
        .order_by(*(F(name).asc(nulls_last=True) for name in fields))
    )
    rows = [
        [
            _throughput_label(by, tuple(row[name] for name in fields)),
            *_counts(row, THROUGHPUT_STEPS),
            row["total"],
        ]
        for row in counted
    ]
    headers = [title, *THROUGHPUT_HEADERS]
    return headers, [*rows, total_row(rows, label_columns=1, width=len(headers))]


def villages_of(cleaned: dict) -> QuerySet:
    """The kelurahan a region filter leaves: one, those of a kecamatan, or all."""
    villages = Village.objects.order_by("district__code", "code")
    if cleaned.get("kelurahan"):
        villages = villages.filter(pk=cleaned["kelurahan"].pk)
    if cleaned.get("kecamatan"):
        villages = villages.filter(district=cleaned["kecamatan"])
    return villages
