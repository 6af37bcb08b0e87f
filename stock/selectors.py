"""Reads of the blank stock for admin pages, reports, the public board and stock_verify."""

import calendar
import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from dukcapil.days import day_start
from stock.models import (
    Blank,
    BlankStatus,
    BudgetLine,
    Location,
    Movement,
    MovementKind,
    Receipt,
)

IN_STOCK = BlankStatus.IN_STOCK
# Entries that correct the stock rather than move it: counted together as "koreksi".
CORRECTIONS = [MovementKind.ADJUST, MovementKind.VOID]


def blanks_in_stock() -> int:
    """Blanks available for printing, wherever they are kept."""
    return Blank.objects.filter(status=IN_STOCK).count()


def locations_with_stock():
    """Locations annotated with their number of blanks per status (one query)."""
    counts = {
        f"n_{status}": Count("blanks", filter=Q(blanks__status=status))
        for status in BlankStatus.values
    }
    return Location.objects.annotate(**counts)


def blank_balances() -> Counter:
    """(location id, status) → number of blanks, from the blanks themselves."""
    rows = Blank.objects.values_list("location_id", "status").annotate(n=Count("pk")).order_by()
    return Counter({(loc, status): n for loc, status, n in rows})


def ledger_balances(*, before: dt.datetime | None = None) -> Counter:
    """(location id, status) → number of blanks, derived from the ledger alone.

    Every entry adds one blank to where it went and takes one from where it came from.
    """
    movements = Movement.objects.all()
    if before is not None:
        movements = movements.filter(at__lt=before)
    balances = Counter()
    arrivals = movements.values_list("to_location_id", "to_status").annotate(n=Count("pk"))
    for loc, status, n in arrivals.order_by():
        balances[(loc, status)] += n
    departures = (
        movements.exclude(from_location=None)
        .values_list("from_location_id", "from_status")
        .annotate(n=Count("pk"))
    )
    for loc, status, n in departures.order_by():
        balances[(loc, status)] -= n
    return balances


@dataclass
class Disagreement:
    location: str
    status: str
    ledger: int
    blanks: int


def stock_disagreements() -> tuple[list[Disagreement], list[str]]:
    """Where ledger and blanks disagree: per (location, status), and blanks whose latest
    ledger entry does not say where and in what status they are (catches swapped statuses
    that would cancel out in the totals)."""
    names = dict(Location.objects.values_list("pk", "name"))
    ledger, blanks = ledger_balances(), blank_balances()
    totals = []
    for location_id, status in sorted(set(ledger) | set(blanks), key=str):
        key = (location_id, status)
        if ledger[key] != blanks[key]:
            name = names.get(location_id, "?")
            totals.append(Disagreement(name, BlankStatus(status).label, ledger[key], blanks[key]))
    latest = Movement.objects.filter(blank=OuterRef("pk")).order_by("-pk")
    mismatched = (
        Blank.objects.annotate(
            ledger_location=Subquery(latest.values("to_location_id")[:1]),
            ledger_status=Subquery(latest.values("to_status")[:1]),
        )
        .filter(
            # A blank with no ledger entry at all came from outside the services: report it.
            Q(ledger_location__isnull=True)
            | ~Q(ledger_location=F("location_id"))
            | ~Q(ledger_status=F("status"))
        )
        .values_list("serial", flat=True)
        .order_by("serial")
    )
    return totals, list(mismatched[:1000])


def blanks_used_twice() -> int:
    """Blanks with more than one USE movement: must always be 0 (the ledger's own audit)."""
    return (
        Movement.objects.filter(kind=MovementKind.USE)
        .values("blank")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )


def location_day_figures(*, location: Location, day: dt.date) -> dict[str, int]:
    """One location's blanks in stock over one local day, from the ledger (stok opname)."""
    start = day_start(day)
    opening = ledger_balances(before=start)[(location.pk, IN_STOCK)]
    moves = Movement.objects.filter(at__gte=start, at__lt=start + dt.timedelta(days=1))
    into = moves.filter(to_location=location, to_status=IN_STOCK)
    out_of = moves.filter(from_location=location, from_status=IN_STOCK)
    figures = {
        "opening": opening,
        "received": into.filter(kind=MovementKind.RECEIVE).count(),
        "transferred_in": into.filter(kind=MovementKind.TRANSFER).count(),
        "transferred_out": out_of.filter(kind=MovementKind.TRANSFER).count(),
        "used": out_of.filter(kind=MovementKind.USE).count(),
        "spoiled": out_of.filter(kind=MovementKind.SPOIL).count(),
        "adjusted": into.filter(kind__in=CORRECTIONS).count()
        - out_of.filter(kind__in=CORRECTIONS).count(),
    }
    figures["closing"] = (
        opening
        + figures["received"]
        + figures["transferred_in"]
        - figures["transferred_out"]
        - figures["used"]
        - figures["spoiled"]
        + figures["adjusted"]
    )
    return figures


USAGE_HEADERS = [
    "Tanggal",
    "Stok awal",
    "Diterima",
    "Terpakai",
    "Rusak",
    "Dimusnahkan",
    "Koreksi",
    "Stok akhir",
]


def usage_report_rows(*, year: int, month: int) -> list[list]:
    """Laporan penggunaan blanko: the whole office's blanks in stock, day by day."""
    first = dt.date(year, month, 1)
    days = calendar.monthrange(year, month)[1]
    start = day_start(first)
    end = day_start(first + dt.timedelta(days=days))
    opening = sum(
        n for (_, status), n in ledger_balances(before=start).items() if status == IN_STOCK
    )
    per_day = Counter()
    rows = (
        Movement.objects.filter(at__gte=start, at__lt=end)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values_list("day", "kind", "from_status", "to_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for day, kind, from_status, to_status, n in rows:
        if kind in CORRECTIONS:
            per_day[(day, MovementKind.ADJUST)] += n * (
                (to_status == IN_STOCK) - (from_status == IN_STOCK)
            )
        else:
            per_day[(day, kind)] += n
    report = []
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        received = per_day[(day, MovementKind.RECEIVE)]
        used, spoiled = per_day[(day, MovementKind.USE)], per_day[(day, MovementKind.SPOIL)]
        adjusted = per_day[(day, MovementKind.ADJUST)]
        closing = opening + received - used - spoiled + adjusted
        destroyed = per_day[(day, MovementKind.DESTROY)]
        report.append([day, opening, received, used, spoiled, destroyed, adjusted, closing])
        opening = closing
    return report


# DESIGN.md §1: print spoilage runs around 4–5% of blanks; plan with the prudent end.
DOCUMENTED_SPOILAGE = 0.05


@dataclass
class Forecast:
    in_stock: int
    used_in_window: int
    spoiled_in_window: int
    window_days: int
    prints: int  # blanks ever put through a printer (used + spoiled): the rate's sample
    min_prints: int  # fewer than this and the observed rate is not trusted
    spoilage_rate: float  # observed, or the documented rate while the sample is small
    cards_to_print: int  # cards still to print for the campaign
    blanks_needed: int  # those cards grossed up for spoilage
    shortfall: int

    @property
    def rate_observed(self) -> bool:
        return self.prints >= self.min_prints

    @property
    def daily_use(self) -> float:
        """Blanks consumed per day (printed or spoiled), over the window."""
        return self._consumed / self.window_days

    @property
    def days_left(self) -> int | None:
        """Whole days the stock lasts at the recent rate (a part day does not count)."""
        if not self._consumed:
            return None
        return self.in_stock * self.window_days // self._consumed

    @property
    def _consumed(self) -> int:
        return self.used_in_window + self.spoiled_in_window


def stock_forecast(*, cards_to_print: int, today: dt.date | None = None, window_days: int = 7):
    """Days of stock left at the recent rate, and the blanks short of ``cards_to_print``.

    A spoiled blank still has to be replaced by another, so the cards still to print need
    cards / (1 − spoilage rate) blanks. A handful of prints says nothing about the rate (one
    spoiled in three is not 33%): below DUKCAPIL_FORECAST_MIN_PRINTS the documented rate is used.
    """
    today = today or timezone.localdate()
    since = day_start(today - dt.timedelta(days=window_days - 1))
    until = day_start(today + dt.timedelta(days=1))
    consumed = {MovementKind.USE: 0, MovementKind.SPOIL: 0}
    window = Movement.objects.filter(kind__in=list(consumed), at__gte=since, at__lt=until)
    consumed |= dict(window.values_list("kind").annotate(n=Count("pk")).order_by())
    ever = dict(
        Movement.objects.filter(kind__in=list(consumed))
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    spoiled_ever = ever.get(MovementKind.SPOIL, 0)
    prints = ever.get(MovementKind.USE, 0) + spoiled_ever
    min_prints = settings.DUKCAPIL_FORECAST_MIN_PRINTS
    rate = spoiled_ever / prints if prints >= min_prints else DOCUMENTED_SPOILAGE
    in_stock = blanks_in_stock()
    needed = math.ceil(cards_to_print / (1 - rate)) if rate < 1 else cards_to_print
    return Forecast(
        in_stock=in_stock,
        used_in_window=consumed[MovementKind.USE],
        spoiled_in_window=consumed[MovementKind.SPOIL],
        window_days=window_days,
        prints=prints,
        min_prints=min_prints,
        spoilage_rate=rate,
        cards_to_print=cards_to_print,
        blanks_needed=needed,
        shortfall=max(needed - in_stock, 0),
    )


def budget_lines_with_spend():
    """Budget lines with the money spent on receipts so far and the blanks received."""
    # A voided receipt was never received, nor paid for.
    spent = (
        Receipt.objects.filter(budget_line=OuterRef("pk"), voided_at__isnull=True)
        .values("budget_line")
        .annotate(total=Sum(F("quantity") * F("unit_cost")))
        .values("total")
    )
    received = Sum("receipts__quantity", filter=Q(receipts__voided_at__isnull=True))
    return BudgetLine.objects.annotate(spent=Subquery(spent), received=received).order_by(
        "-year", "name"
    )


@dataclass
class PublicBoard:
    in_stock: int
    used_today: int
    updated_at: dt.datetime | None
    per_location: list[tuple[str, int]]


def public_board(*, today: dt.date | None = None) -> PublicBoard:
    """What the office announces daily: counts only."""
    today = today or timezone.localdate()
    start = day_start(today)
    locations = (
        Location.objects.filter(active=True)
        .annotate(n=Count("blanks", filter=Q(blanks__status=IN_STOCK)))
        .values_list("name", "n")
        .order_by("kind", "name")
    )
    per_location = list(locations)
    last = Movement.objects.order_by("-at").values_list("at", flat=True).first()
    return PublicBoard(
        in_stock=blanks_in_stock(),
        used_today=Movement.objects.filter(
            kind=MovementKind.USE, at__gte=start, at__lt=start + dt.timedelta(days=1)
        ).count(),
        updated_at=last,
        per_location=per_location,
    )
