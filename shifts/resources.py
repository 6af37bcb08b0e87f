"""The "jadwal dinas" grid: one row per person (NIP, name), one column per date.

Cells: ``P/REK`` (shift code / post code), ``P`` alone when the person has a single post,
``L`` libur (off), ``C`` cuti (on leave, from the leave register). The same layout is exported
and imported, so a downloaded grid edited in Excel comes back unchanged in meaning.
"""

import datetime as dt
from collections.abc import Iterator

from shifts.models import Assignment, Leave, Roster, Staff

OFF, LEAVE = "L", "C"
FIXED_HEADERS = ["NIP", "NAMA"]
DATE_HEADER = "%d-%m-%Y"


def grid_headers(roster: Roster) -> list[str]:
    return [*FIXED_HEADERS, *(day.strftime(DATE_HEADER) for day in roster.days())]


def parse_date_header(header) -> dt.date | None:
    if isinstance(header, dt.datetime):
        return header.date()
    if isinstance(header, dt.date):
        return header
    for pattern in (DATE_HEADER, "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(str(header).strip(), pattern).date()
        except ValueError:
            continue
    return None


def cell_code(assignment: Assignment) -> str:
    return f"{assignment.shift_type.code}/{assignment.post.code}"


def grid_rows(roster: Roster) -> Iterator[list[str]]:
    """Active staff and anyone on the roster, in name order, with a code for every day."""
    days = roster.days()
    cells: dict[tuple[int, dt.date], str] = {}
    for a in roster.assignments.select_related("shift_type", "post"):
        cells[a.staff_id, a.date] = cell_code(a)
    for leave in Leave.objects.filter(start__lte=days[-1], end__gte=days[0]):
        for day in days:
            if leave.start <= day <= leave.end:
                cells.setdefault((leave.staff_id, day), LEAVE)
    staff = Staff.objects.filter(active=True) | Staff.objects.filter(assignments__roster=roster)
    for person in staff.distinct().order_by("name"):
        yield [person.nip, person.name, *(cells.get((person.pk, d), OFF) for d in days)]
