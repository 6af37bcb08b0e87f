"""Reads for the roster page, the dashboard and the registry's "which shift was this in"."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count
from django.utils import timezone

from shifts.models import Assignment, CoverageRequirement, Leave, Roster, RosterStatus, Staff


def _published_around(at: dt.datetime):
    """Published assignments that can cover ``at``: those starting that day or the day before
    (a night shift started yesterday evening is still running this morning)."""
    local = timezone.localtime(at)
    day = local.date()
    return (
        Assignment.objects.filter(
            roster__status=RosterStatus.PUBLISHED,
            date__range=(day - dt.timedelta(days=1), day),
        )
        .select_related("shift_type", "post", "staff")
        .order_by("shift_type__start", "post__code", "staff__name")
    ), local.replace(tzinfo=None)


def _covers(assignment: Assignment, moment: dt.datetime) -> bool:
    start, end = assignment.shift_type.window(assignment.date)
    return start <= moment < end


def on_duty(user: AbstractBaseUser, at: dt.datetime) -> Assignment | None:
    """The published assignment ``user`` was working at ``at``, or None."""
    candidates, moment = _published_around(at)
    for assignment in candidates.filter(staff__user=user):
        if _covers(assignment, moment):
            return assignment
    return None


def on_duty_now() -> list[Assignment]:
    """Who is on which post right now, by shift start and post."""
    candidates, moment = _published_around(timezone.now())
    return [a for a in candidates if _covers(a, moment)]


@dataclass
class GridRow:
    staff: Staff
    cells: list[tuple[str, str]]  # (text, css class) per day
    nights: int
    weekends: int
    total: int


@dataclass
class CoverageCell:
    day: dt.date
    shift: str
    post: str
    required: int
    filled: int

    @property
    def short(self) -> int:
        return max(self.required - self.filled, 0)


def roster_grid(roster: Roster) -> tuple[list[GridRow], list[CoverageCell]]:
    """The staff × days grid and, per day/shift/post, coverage against the requirement."""
    days = roster.days()
    assignments = list(roster.assignments.select_related("shift_type", "post"))
    by_cell = {(a.staff_id, a.date): a for a in assignments}
    on_leave = set()
    for leave in Leave.objects.filter(start__lte=days[-1], end__gte=days[0]):
        on_leave |= {(leave.staff_id, d) for d in days if leave.start <= d <= leave.end}
    staff_ids = {a.staff_id for a in assignments}
    people = Staff.objects.filter(active=True) | Staff.objects.filter(pk__in=staff_ids)
    rows = []
    for person in people.distinct().order_by("name"):
        cells, nights, weekends, total = [], 0, 0, 0
        for day in days:
            a = by_cell.get((person.pk, day))
            if a:
                cells.append((f"{a.shift_type.code}/{a.post.code}", f"shift-{a.shift_type.code}"))
                nights += a.shift_type.crosses_midnight
                weekends += day.weekday() >= 5
                total += 1
            elif (person.pk, day) in on_leave:
                cells.append(("C", "leave"))
            else:
                cells.append(("", "off"))
        rows.append(GridRow(person, cells, nights, weekends, total))
    filled = defaultdict(int)
    for a in assignments:
        filled[a.date, a.shift_type_id, a.post_id] += 1
    return rows, _coverage(days, filled)


def published_coverage(start: dt.date, end: dt.date) -> list[CoverageCell]:
    """Per day of the period and per requirement, the staff the published rosters put there
    (one grouped query); a day no published roster covers has nobody."""
    filled = defaultdict(
        int,
        {
            (day, shift, post): n
            for day, shift, post, n in Assignment.objects.filter(
                roster__status=RosterStatus.PUBLISHED, date__range=(start, end)
            )
            .values_list("date", "shift_type_id", "post_id")
            .annotate(n=Count("pk"))
            .order_by()
        },
    )
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    return _coverage(days, filled)


def _coverage(days: list[dt.date], filled) -> list[CoverageCell]:
    requirements = list(CoverageRequirement.objects.select_related("shift_type", "post"))
    return [
        CoverageCell(
            day,
            r.shift_type.name,
            r.post.name,
            r.min_staff,
            filled[day, r.shift_type_id, r.post_id],
        )
        for day in days
        for r in requirements
    ]
