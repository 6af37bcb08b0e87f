"""A quick first roster, day by day, to start the solver from (a "hint").

It takes, for each requirement, the qualified person with the fewest nights (for a night) or
shifts so far who may legally work it. Alone it leaves gaps a smarter order would avoid; as a
starting point it lets CP-SAT spend its time improving instead of searching for any roster.
"""

import datetime as dt
from collections import defaultdict

from shifts.rules import (
    forbidden_follow_ups,
    max_consecutive_nights,
    max_weekly_minutes,
    week_start,
)


def greedy_roster(problem) -> set[tuple[int, dt.date, int, int]]:
    """(staff id, day, shift id, post id) choices that break no hard rule."""
    shifts = sorted(problem.shift_types, key=lambda s: s.start)
    forbidden = forbidden_follow_ups(shifts)
    night_ids = {s.pk for s in shifts if s.crosses_midnight}
    limit, cap = max_consecutive_nights(), max_weekly_minutes()
    worked: dict[int, dict[dt.date, int]] = defaultdict(dict)  # staff → day → shift id
    minutes: dict[tuple[int, dt.date], int] = defaultdict(int)  # (staff, monday) → minutes
    for staff_id, slots in problem.fixed.items():
        for slot in slots:
            worked[staff_id][slot.date] = slot.shift.pk
            minutes[staff_id, week_start(slot.date)] += slot.shift.minutes
    nights: dict[int, int] = defaultdict(int)
    totals: dict[int, int] = defaultdict(int)
    people = {s: p for s, p in problem.people.items() if p.active}

    def night_run(staff_id: int, day: dt.date) -> int:
        run, step = 1, dt.timedelta(days=1)
        for direction in (-1, 1):
            other = day + direction * step
            while worked[staff_id].get(other) in night_ids:
                run += 1
                other += direction * step
        return run

    def allowed(staff_id: int, day: dt.date, shift) -> bool:
        days = worked[staff_id]
        if day in days or day in people[staff_id].leave_days:
            return False
        if minutes[staff_id, week_start(day)] + shift.minutes > cap:
            return False
        for earlier, later, apart in forbidden:
            if later == shift.pk and days.get(day - dt.timedelta(days=apart)) == earlier:
                return False
            if earlier == shift.pk and days.get(day + dt.timedelta(days=apart)) == later:
                return False
        return shift.pk not in night_ids or night_run(staff_id, day) <= limit

    chosen = set()
    for day in problem.days:
        for shift in shifts:
            for (shift_id, post_id), need in sorted(problem.requirements.items()):
                if shift_id != shift.pk:
                    continue
                for _ in range(need):
                    candidates = [
                        s
                        for s, p in people.items()
                        if post_id in p.qualified and allowed(s, day, shift)
                    ]
                    if not candidates:
                        break
                    is_night = shift.pk in night_ids
                    pick = min(
                        candidates, key=lambda s: (nights[s] if is_night else 0, totals[s], s)
                    )
                    worked[pick][day] = shift.pk
                    minutes[pick, week_start(day)] += shift.minutes
                    nights[pick] += is_night
                    totals[pick] += 1
                    chosen.add((pick, day, shift.pk, post_id))
    return chosen
