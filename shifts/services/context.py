"""What the rules need to judge people's schedules, loaded from the database in a few queries."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from shifts.models import Assignment, Leave, Roster, Staff
from shifts.rules import Person, Slot

# A week either side covers the calendar week and any run of nights that touches the period.
MARGIN = dt.timedelta(days=7)


def people(staff: Iterable[Staff], start: dt.date, end: dt.date) -> dict[int, Person]:
    staff = list(staff)
    ids = [s.pk for s in staff]
    qualified: dict[int, set[int]] = defaultdict(set)
    for staff_id, post_id in Staff.posts.through.objects.filter(staff_id__in=ids).values_list(
        "staff_id", "post_id"
    ):
        qualified[staff_id].add(post_id)
    on_leave: dict[int, set[dt.date]] = defaultdict(set)
    for leave in Leave.objects.filter(staff_id__in=ids, start__lte=end, end__gte=start):
        day = max(leave.start, start)
        while day <= min(leave.end, end):
            on_leave[leave.staff_id].add(day)
            day += dt.timedelta(days=1)
    return {
        s.pk: Person(
            name=s.name,
            nip=s.nip,
            active=s.active,
            qualified=frozenset(qualified[s.pk]),
            leave_days=frozenset(on_leave[s.pk]),
        )
        for s in staff
    }


def slots(
    staff_ids: Iterable[int],
    start: dt.date,
    end: dt.date,
    *,
    leave_out: Roster | None = None,
) -> dict[int, list[Slot]]:
    """Assignments of these people between the dates, in any roster except ``leave_out``."""
    found: dict[int, list[Slot]] = defaultdict(list)
    query = Assignment.objects.filter(staff_id__in=list(staff_ids), date__range=(start, end))
    if leave_out is not None:
        query = query.filter(~Q(roster=leave_out))
    for a in query.select_related("shift_type"):
        found[a.staff_id].append(Slot(a.date, a.shift_type, a.post_id))
    return found
