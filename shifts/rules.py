"""The roster rules (DESIGN.md §6.6) as pure functions over one person's schedule.

Services, the grid importer, the generator's self-check and the benchmark all judge a schedule
here, so a rule is written once and its message is the same everywhere: person, date, rule.
"""

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import date_format

from shifts.models import ShiftType

REST = dt.timedelta(hours=10)


def max_consecutive_nights() -> int:
    return settings.SHIFTS_MAX_CONSECUTIVE_NIGHTS


def max_weekly_minutes() -> int:
    return settings.SHIFTS_MAX_WEEKLY_HOURS * 60


def day_text(day: dt.date) -> str:
    return date_format(day, "j F Y")


@dataclass(frozen=True)
class Slot:
    date: dt.date
    shift: ShiftType
    post_id: int


@dataclass(frozen=True)
class Person:
    name: str
    nip: str
    active: bool
    qualified: frozenset[int]
    leave_days: frozenset[dt.date]


@dataclass(frozen=True)
class Violation:
    dates: frozenset[dt.date]
    message: str


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def person_violations(
    person: Person, slots: Iterable[Slot], *, focus: Iterable[dt.date] | None = None
) -> list[Violation]:
    """Every rule ``slots`` break for ``person``; only those touching ``focus`` dates if given."""
    slots = sorted(slots, key=lambda s: (s.date, s.shift.start))
    found: list[Violation] = []

    def refuse(dates: Iterable[dt.date], rule: str) -> None:
        # Named by the last date involved: the one whose shift breaks the rule.
        dates = frozenset(dates)
        found.append(
            Violation(dates, f"{person.name} (NIP {person.nip}), {day_text(max(dates))}: {rule}")
        )

    by_day: dict[dt.date, list[Slot]] = {}
    for slot in slots:
        by_day.setdefault(slot.date, []).append(slot)
        if not person.active:
            refuse([slot.date], "petugas tidak aktif tidak boleh dijadwalkan.")
        if slot.date in person.leave_days:
            refuse([slot.date], "petugas sedang cuti/izin pada tanggal itu.")
        if slot.post_id not in person.qualified:
            refuse([slot.date], "petugas tidak memenuhi kualifikasi untuk pos itu.")
    for day, same_day in by_day.items():
        if len(same_day) > 1:
            refuse([day], "satu petugas hanya boleh satu shift dalam sehari.")

    for earlier, later in itertools.pairwise(slots):
        if earlier.date == later.date:
            continue
        _, ended = earlier.shift.window(earlier.date)
        begins, _ = later.shift.window(later.date)
        if begins - ended < REST:
            hours = max((begins - ended).total_seconds() / 3600, 0)
            refuse(
                [earlier.date, later.date],
                f"istirahat antar-shift kurang dari 10 jam: {earlier.shift.name} "
                f"{day_text(earlier.date)} selesai {ended:%H:%M}, {later.shift.name} "
                f"{day_text(later.date)} mulai {begins:%H:%M} ({hours:g} jam).",
            )

    limit = max_consecutive_nights()
    run: list[dt.date] = []
    for day in sorted(by_day):
        if not any(s.shift.crosses_midnight for s in by_day[day]):
            continue
        run = [*run, day] if run and day - run[-1] == dt.timedelta(days=1) else [day]
        if len(run) == limit + 1:
            refuse(run, f"lebih dari {limit} shift malam berturut-turut.")
        elif len(run) > limit + 1:
            found[-1] = Violation(found[-1].dates | {day}, found[-1].message)

    cap = max_weekly_minutes()
    weeks: dict[dt.date, list[Slot]] = {}
    for slot in slots:
        weeks.setdefault(week_start(slot.date), []).append(slot)
    for monday, week in sorted(weeks.items()):
        minutes = sum(s.shift.minutes for s in week)
        if minutes > cap:
            refuse(
                [s.date for s in week],
                f"jam kerja minggu {day_text(monday)}–{day_text(monday + dt.timedelta(days=6))} "
                f"menjadi {minutes / 60:g} jam, melebihi batas {cap / 60:g} jam.",
            )

    if focus is not None:
        focus = set(focus)
        found = [v for v in found if v.dates & focus]
    return found


def forbidden_follow_ups(shift_types: list[ShiftType]) -> set[tuple[int, int, int]]:
    """(earlier shift id, later shift id, days apart) pairs leaving less than 10 hours rest."""
    pairs = set()
    base = dt.date(2000, 1, 3)
    for earlier in shift_types:
        _, ended = earlier.window(base)
        for later in shift_types:
            for apart in (1, 2):
                begins, _ = later.window(base + dt.timedelta(days=apart))
                if begins - ended < REST:
                    pairs.add((earlier.pk, later.pk, apart))
    return pairs
