"""The campaign as the supervisor watches it: progress, pace, queues, blanks, duty and alerts.

Progress is counted from the event log: an application counts on the WITA day a clerk took
that step here. What SIAK loaded (events without a from-status) was done before this system
and never counts. Each figure is a fixed number of queries, whatever the size of the log: the
closed days of the progress are read from their summary (``DailyStepCount``), which the
dashboard keeps current, and only the days since from the log.
"""

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from dukcapil.days import day_start
from dukcapil.formats import grouped
from dukcapil.locks import advisory_lock
from registry.models import (
    ApplicationEvent,
    ApplicationStatus,
    Campaign,
    CardApplication,
    DailyStepCount,
)
from registry.models.summaries import SUMMARY_STEPS
from registry.selectors.brokers import refused_proxies, shared_helpers, shared_phones
from shifts.selectors import CoverageCell, on_duty_now, published_coverage
from stock.selectors import Forecast, stock_forecast

S = ApplicationStatus
PACE_DAYS = 7  # the pace is the daily average of the last seven full days
COVERAGE_DAYS = 7  # coverage gaps looked for from today on
QUEUE_ALERT_DAYS = 30  # a printed card waiting longer than this is an alert
# Collection queue age buckets: waiting up to 7 days, up to 14, up to 30, and longer.
AGE_LIMITS = (7, 14, QUEUE_ALERT_DAYS)
AGE_LABELS = ("≤ 7 hari", "8–14 hari", "15–30 hari", f"> {QUEUE_ALERT_DAYS} hari")
STEPS = (S.RECORDED, S.PRINTED, S.ISSUED)
# The steps of the progress: each a clerk's step here, never what SIAK loaded (no
# from-status; a submission is from nothing too). Recording counts once per application: a
# re-recording after a failed enrolment is the same person.
PROGRESS = (
    Q(to_status=S.SUBMITTED)
    | Q(to_status=S.RECORDED, from_status=S.VERIFIED)
    | (Q(to_status__in=(S.VERIFIED, S.PRINT_READY, S.PRINTED, S.ISSUED)) & ~Q(from_status=""))
)
# Work done here: every step a clerk took. SIAK's loading is logged with no from-status; a
# submission is from nothing too, and is work.
NOT_LOADED = ~Q(from_status="") | Q(to_status=S.SUBMITTED)
# Today's work per step, in the order of the lifecycle; SIAK loads are not work done here.
TODAY_STEPS = SUMMARY_STEPS
OFF_ROSTER = "Di luar jadwal"
ONE_DAY = dt.timedelta(days=1)


def _local_day():
    return TruncDate("at", tzinfo=timezone.get_current_timezone())


def current_campaign() -> Campaign | None:
    return Campaign.objects.order_by("-start", "-pk").first()


def daily_steps(
    campaign: Campaign, *, until: dt.datetime, summarise: bool = False
) -> dict[dt.date, Counter]:
    """WITA day → {step: applications} from the campaign's start until ``until``
    (``summarise``: see ``step_counts``)."""
    days: dict[dt.date, Counter] = defaultdict(Counter)
    counts = step_counts(first=campaign.start, until=until, steps=STEPS, summarise=summarise)
    for (day, _, step), n in counts.items():
        days[day][step] += n
    return days


def step_counts(
    *,
    first: dt.date,
    until: dt.datetime,
    steps: tuple[str, ...] = SUMMARY_STEPS,
    villages: QuerySet | None = None,
    summarise: bool = False,
) -> Counter:
    """(WITA day, kelurahan, step) → applications that took a step of the progress from
    ``first`` until ``until``: per kelurahan of ``villages``, or in all (kelurahan None).

    Closed days (before yesterday) are read from ``DailyStepCount``; yesterday, today, days
    not summarised yet and any event written after its day was summarised are counted from
    the log: two queries. With ``summarise`` (the dashboard, opened every day) the days the
    summary lacks or that changed are counted again and written (a few queries more, whatever
    the size of the log); other readers write nothing.
    """
    # Yesterday stays live so that a step still being committed at midnight is not missed.
    summary_end = min(timezone.localtime(until).date(), timezone.localdate() - ONE_DAY)
    rows = DailyStepCount.objects.filter(day__gte=first, day__lt=summary_end, step__in=steps)
    if villages is not None:
        rows = rows.filter(Q(village=None) | Q(village__in=villages))
    else:
        rows = rows.filter(village=None)
    counts: Counter = Counter()
    totals: dict[tuple[dt.date, str], int] = {}  # (day, step) → counted_through
    for day, village, step, n, through in rows.values_list(
        "day", "village", "step", "applications", "counted_through"
    ):
        if village is None:
            totals[(day, step)] = through
        if (village is None) == (villages is None):
            counts[(day, village, step)] += n
    summarised = {day for day, _ in totals}
    missing = [day for day in _days(first, summary_end) if day not in summarised]
    # What the summary does not hold: the live days, the days not summarised yet, and any
    # event written after its day was summarised (an id above the day's counted_through).
    uncounted = Q(at__gte=day_start(summary_end))
    if totals:
        uncounted |= Q(pk__gt=min(totals.values()))
    for low, high in _runs(missing):
        uncounted |= Q(at__gte=day_start(low), at__lt=day_start(high + ONE_DAY))
    covered = DailyStepCount.objects.filter(
        day=OuterRef("day"),
        day__lt=summary_end,
        village=None,
        step=OuterRef("to_status"),
        counted_through__gte=OuterRef("pk"),
    )
    events = ApplicationEvent.objects.filter(
        PROGRESS, uncounted, to_status__in=steps, at__gte=day_start(first), at__lt=until
    )
    village = Value(None, output_field=IntegerField())
    if villages is not None:
        events = events.filter(application__resident__village__in=villages)
        village = F("application__resident__village")
    late = set()
    for day, where, step, n in (
        events.annotate(day=_local_day(), where=village)
        .filter(~Exists(covered))
        .values_list("day", "where", "to_status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(day, where, step)] += n
        if day < summary_end and day in summarised:
            late.add(day)
    if summarise and (missing or late):
        _summary_write({*missing, *late}, summary_end=summary_end)
    return counts


def _days(first: dt.date, stop: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((stop - first).days)]


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as runs of consecutive days: (first, last) of each."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if runs and runs[-1][1] + ONE_DAY == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _summary_write(days: set[dt.date], *, summary_end: dt.date) -> None:
    """Count ``days`` again from the log, and any closed day with an event written since the
    summary was last written; then bring every row up to the newest event. One writer at a
    time, so every row always holds the same ``counted_through``.
    """
    with transaction.atomic():
        advisory_lock("registry.daily_step_count")
        through = DailyStepCount.objects.aggregate(through=Min("counted_through"))["through"]
        newest = ApplicationEvent.objects.aggregate(newest=Max("pk"))["newest"] or 0
        # An empty summary was written through no event: every closed day is summarised.
        days |= set(
            ApplicationEvent.objects.filter(
                PROGRESS, pk__gt=through or 0, pk__lte=newest, at__lt=day_start(summary_end)
            )
            .annotate(day=_local_day())
            .values_list("day", flat=True)
            .distinct()
        )
        span = reduce(
            or_,
            (
                Q(at__gte=day_start(low), at__lt=day_start(high + ONE_DAY))
                for low, high in _runs(sorted(days))
            ),
        )
        counted = (
            ApplicationEvent.objects.filter(PROGRESS, span, pk__lte=newest)
            .annotate(day=_local_day())
            .values_list("day", "application__resident__village", "to_status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        totals: Counter = Counter()
        rows = []
        for day, village, step, n in counted:
            totals[(day, step)] += n
            rows.append(DailyStepCount(day=day, village_id=village, step=step, applications=n))
        rows += [
            DailyStepCount(day=day, step=step, applications=totals[(day, step)])
            for day in days
            for step in SUMMARY_STEPS
        ]
        for row in rows:
            row.counted_through = newest
        DailyStepCount.objects.filter(day__in=days).delete()
        DailyStepCount.objects.update(counted_through=newest)
        DailyStepCount.objects.bulk_create(rows, batch_size=2_000)


@dataclass
class Pace:
    """Where the campaign stands on ``today`` and when it will end at the recent pace."""

    campaign: Campaign
    as_of: dt.datetime
    today: dt.date
    recorded: int
    printed: int
    issued: int
    issued_last_days: int  # cards issued in the PACE_DAYS full days before today
    series: list[tuple[dt.date, int, int, int]]  # cumulative (day, recorded, printed, issued)

    @property
    def target(self) -> int:
        return self.campaign.target

    @property
    def remaining(self) -> int:
        return max(self.target - self.issued, 0)

    @property
    def issued_share(self) -> float:
        return self.issued / self.target if self.target else 0.0

    @property
    def issued_per_day(self) -> float:
        return self.issued_last_days / PACE_DAYS

    @property
    def days_left(self) -> int:
        """Whole days after today up to and including the end date."""
        return max((self.campaign.end - self.today).days, 0)

    @property
    def required_per_day(self) -> int | None:
        """Cards a day still needed to reach the target on the end date (None once past it)."""
        if not self.remaining:
            return 0
        if not self.days_left:
            return None
        return math.ceil(self.remaining / self.days_left)

    @property
    def projected_completion(self) -> dt.date | None:
        """Today plus the remaining cards at the recent pace, in whole days; None at no pace."""
        if not self.remaining:
            return self.today
        if not self.issued_last_days:
            return None
        # Integer arithmetic: remaining / (issued / 7) rounded up, with no float error.
        days = -(-self.remaining * PACE_DAYS // self.issued_last_days)
        return self.today + dt.timedelta(days=days)

    @property
    def misses_end(self) -> bool:
        """The target is not reached by the end date at the recent pace (or at no pace)."""
        projected = self.projected_completion
        return projected is None or projected > self.campaign.end


def campaign_pace(
    campaign: Campaign, *, now: dt.datetime | None = None, summarise: bool = False
) -> Pace:
    """Progress since the start, cumulative per day, and the pace of the last full days
    (``summarise``: see ``daily_steps``)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    days = daily_steps(campaign, until=now, summarise=summarise)
    last_day = min(today, campaign.end) if today >= campaign.start else campaign.start
    totals: Counter = Counter()
    series = []
    day = campaign.start
    while day <= last_day:
        totals.update(days.get(day, Counter()))
        series.append((day, totals[S.RECORDED], totals[S.PRINTED], totals[S.ISSUED]))
        day += dt.timedelta(days=1)
    # Steps after the end date still count towards the totals.
    totals = sum(days.values(), Counter())
    window = [today - dt.timedelta(days=i) for i in range(1, PACE_DAYS + 1)]
    return Pace(
        campaign=campaign,
        as_of=now,
        today=today,
        recorded=totals[S.RECORDED],
        printed=totals[S.PRINTED],
        issued=totals[S.ISSUED],
        issued_last_days=sum(days[d][S.ISSUED] for d in window if d in days),
        series=series,
    )


def blank_outlook(pace: Pace) -> Forecast:
    """Blanks in stock, days they last at the recent use rate, and the shortfall for the cards
    still to print towards the target."""
    return stock_forecast(
        cards_to_print=max(pace.target - pace.printed, 0), today=pace.today, window_days=PACE_DAYS
    )


@dataclass
class ShiftCounts:
    shift: str
    counts: list[int]  # per TODAY_STEPS


def today_by_shift(*, today: dt.date) -> tuple[list[ShiftCounts], list[int]]:
    """Steps taken today per shift (by the assignment each event names), and their totals."""
    start = day_start(today)
    rows = (
        ApplicationEvent.objects.filter(
            NOT_LOADED, at__gte=start, at__lt=day_start(today + dt.timedelta(1))
        )
        .values_list("assignment__shift_type__name", "assignment__shift_type__start", "to_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cells: dict[tuple, Counter] = defaultdict(Counter)
    for name, starts, step, n in rows:
        cells[(starts is None, starts, name or OFF_ROSTER)][step] += n
    lines = [
        ShiftCounts(key[2], [cells[key][step] for step in TODAY_STEPS]) for key in sorted(cells)
    ]
    totals = [sum(line.counts[i] for line in lines) for i in range(len(TODAY_STEPS))]
    return lines, totals


@dataclass
class CollectionQueue:
    size: int
    oldest: dt.datetime | None
    buckets: list[tuple[str, int]]

    @property
    def over_alert_age(self) -> int:
        return self.buckets[-1][1]


def collection_queue_summary(*, now: dt.datetime) -> CollectionQueue:
    """Printed cards not yet collected: how many, the oldest, and how long they have waited."""
    waiting = CardApplication.objects.filter(status=S.PRINTED).annotate(
        waiting_since=Coalesce("printed_at", "submitted_at")
    )
    aggregates = {"size": Count("pk"), "oldest": Min("waiting_since")}
    edges = [None, *(now - dt.timedelta(days=days) for days in AGE_LIMITS), None]
    for i in range(len(AGE_LABELS)):
        newest, oldest = edges[i], edges[i + 1]
        age = Q(waiting_since__lt=newest) if newest else Q()
        if oldest:
            age &= Q(waiting_since__gte=oldest)
        aggregates[f"bucket{i}"] = Count("pk", filter=age)
    row = waiting.aggregate(**aggregates)
    buckets = [(label, row[f"bucket{i}"]) for i, label in enumerate(AGE_LABELS)]
    return CollectionQueue(size=row["size"], oldest=row["oldest"], buckets=buckets)


@dataclass
class Post:
    name: str
    people: list[str]  # "Nama (Pagi)"


def on_duty_by_post() -> list[Post]:
    """Who is on duty now, per post (one query)."""
    posts: dict[str, list[str]] = defaultdict(list)
    for assignment in on_duty_now():
        posts[assignment.post.name].append(
            f"{assignment.staff.name} ({assignment.shift_type.name})"
        )
    return [Post(name, people) for name, people in sorted(posts.items())]


def coverage_gaps(*, today: dt.date, days: int = COVERAGE_DAYS) -> list[CoverageCell]:
    """Shifts in the next ``days`` days with fewer published staff at a post than required."""
    last = today + dt.timedelta(days=days - 1)
    return [cell for cell in published_coverage(today, last) if cell.short]


@dataclass
class BrokerSigns:
    phones: int
    helpers: int
    proxies: int

    @property
    def total(self) -> int:
        return self.phones + self.helpers + self.proxies


def new_broker_signs(*, now: dt.datetime, days: int = PACE_DAYS) -> BrokerSigns:
    """Broker indicators with activity in the last ``days`` days."""
    since = now - dt.timedelta(days=days)
    return BrokerSigns(
        phones=len(shared_phones(since=since)),
        helpers=len(shared_helpers(since=since)),
        proxies=len(refused_proxies(since=since)),
    )


@dataclass
class Alert:
    text: str
    link: str = ""  # an admin URL name


@dataclass
class Dashboard:
    pace: Pace
    blanks: Forecast
    today_lines: list[ShiftCounts]
    today_totals: list[int]
    queue: CollectionQueue
    on_duty: list[Post]
    gaps: list[CoverageCell]
    brokers: BrokerSigns | None
    alerts: list[Alert] = field(default_factory=list)

    @property
    def blanks_run_out(self) -> dt.date | None:
        days = self.blanks.days_left
        return None if days is None else self.pace.today + dt.timedelta(days=days)


def dashboard(
    campaign: Campaign, *, now: dt.datetime | None = None, brokers: bool = True
) -> Dashboard:
    """Everything the supervisor's home page shows; the number of queries is fixed."""
    now = now or timezone.now()
    pace = campaign_pace(campaign, now=now, summarise=True)
    lines, totals = today_by_shift(today=pace.today)
    board = Dashboard(
        pace=pace,
        blanks=blank_outlook(pace),
        today_lines=lines,
        today_totals=totals,
        queue=collection_queue_summary(now=now),
        on_duty=on_duty_by_post(),
        gaps=coverage_gaps(today=pace.today),
        brokers=new_broker_signs(now=now) if brokers else None,
    )
    board.alerts = _alerts(board)
    return board


def _alerts(board: Dashboard) -> list[Alert]:
    alerts = []
    blanks, pace = board.blanks, board.pace
    if blanks.shortfall:
        runs_out = board.blanks_run_out
        when = f" sekitar {runs_out:%d-%m-%Y}" if runs_out else ""
        alerts.append(
            Alert(
                f"Blanko habis{when}, sebelum target tercapai: kurang {grouped(blanks.shortfall)} "
                "keping untuk kartu yang masih harus dicetak.",
                "admin:stock_receipt_changelist",
            )
        )
    if board.gaps:
        days = len({gap.day for gap in board.gaps})
        alerts.append(
            Alert(
                f"Kekurangan petugas pada {len(board.gaps)} shift/pos dalam {days} hari dari "
                f"{COVERAGE_DAYS} hari ke depan.",
                "admin:shifts_roster_changelist",
            )
        )
    if old := board.queue.over_alert_age:
        alerts.append(
            Alert(
                f"{grouped(old)} kartu tercetak menunggu diambil lebih dari "
                f"{QUEUE_ALERT_DAYS} hari.",
                "admin:registry_collectionqueueentry_changelist",
            )
        )
    if board.brokers and board.brokers.total:
        alerts.append(
            Alert(
                f"{board.brokers.total} indikasi calo baru dalam {PACE_DAYS} hari terakhir.",
                "admin:registry_broker_indicators",
            )
        )
    if pace.remaining and pace.misses_end:
        alerts.append(Alert("Pada laju saat ini target tidak tercapai pada tanggal target."))
    return alerts
