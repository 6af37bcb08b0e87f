"""Roster generation with OR-Tools CP-SAT: coverage first, hard rules always, then fairness.

Every hard rule of ``shifts.rules`` is a constraint, so no solution can break one; coverage is
"at least min_staff or a counted shortfall", so an impossible requirement becomes a reported
gap instead of no roster at all. The objective puts each shortfall far above fairness.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings

from shifts.greedy import greedy_roster
from shifts.models import ShiftType
from shifts.rules import (
    Person,
    Slot,
    forbidden_follow_ups,
    max_consecutive_nights,
    max_weekly_minutes,
    week_start,
)

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

GAP_WEIGHT = 10_000


@dataclass
class Problem:
    days: list[dt.date]
    shift_types: list[ShiftType]
    requirements: dict[tuple[int, int], int]  # (shift type id, post id) → min staff
    people: dict[int, Person]  # staff id → person
    fixed: dict[int, list[Slot]]  # staff id → assignments outside the period (other rosters)


@dataclass
class Gap:
    day: dt.date
    shift_type: ShiftType
    post_id: int
    required: int
    filled: int


@dataclass
class Solution:
    assignments: list[tuple[int, dt.date, ShiftType, int]]  # staff id, day, shift, post id
    gaps: list[Gap] = field(default_factory=list)
    nights: dict[int, int] = field(default_factory=dict)  # staff id → night shifts
    weekends: dict[int, int] = field(default_factory=dict)
    status: str = ""

    @property
    def night_spread(self) -> int:
        return max(self.nights.values(), default=0) - min(self.nights.values(), default=0)

    @property
    def weekend_spread(self) -> int:
        return max(self.weekends.values(), default=0) - min(self.weekends.values(), default=0)


def solve(problem: Problem, *, seconds: float | None = None) -> Solution:
    # OR-Tools loads here, when a roster is generated: importing it with the app would cost
    # every server process some 90 MB that most of them never use.
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    days, shifts = problem.days, problem.shift_types
    period = set(days)
    posts_needed = defaultdict(list)  # shift id → post ids with a requirement
    for (shift_id, post_id), _ in problem.requirements.items():
        posts_needed[shift_id].append(post_id)

    x = {}  # (staff, day, shift, post) → bool
    works = defaultdict(list)  # (staff, day, shift) → vars
    for staff_id, person in problem.people.items():
        if not person.active:
            continue
        for day in days:
            if day in person.leave_days:
                continue
            for shift in shifts:
                for post_id in posts_needed[shift.pk]:
                    if post_id in person.qualified:
                        var = model.new_bool_var(f"x{staff_id}_{day}_{shift.pk}_{post_id}")
                        x[staff_id, day, shift.pk, post_id] = var
                        works[staff_id, day, shift.pk].append(var)

    on = {key: sum(vars_) for key, vars_ in works.items()}

    def shift_on(staff_id: int, day: dt.date, shift_id: int):
        """1 if the person works that shift that day: a variable, a fixed 0/1, or 0."""
        if day in period:
            return on.get((staff_id, day, shift_id), 0)
        return int(any(s.date == day and s.shift.pk == shift_id for s in problem.fixed[staff_id]))

    staff_ids = [s for s, p in problem.people.items() if p.active]
    for staff_id in staff_ids:
        for day in days:  # one shift a day, at one post
            model.add(sum(on.get((staff_id, day, s.pk), 0) for s in shifts) <= 1)

    # Rest: pairs of shifts less than 10 hours apart never both, across the period's edges too.
    forbidden = forbidden_follow_ups(shifts)
    for staff_id in staff_ids:
        for day in [days[0] - dt.timedelta(days=2), days[0] - dt.timedelta(days=1), *days]:
            for earlier, later, apart in forbidden:
                first = shift_on(staff_id, day, earlier)
                second = shift_on(staff_id, day + dt.timedelta(days=apart), later)
                if isinstance(first, int) and isinstance(second, int):
                    continue  # both outside the period or both absent: not ours to fix
                model.add(first + second <= 1)

    # Nights in a row: any limit+1 consecutive days hold at most `limit` nights.
    limit = max_consecutive_nights()
    nights_of = [s.pk for s in shifts if s.crosses_midnight]
    span = [days[0] - dt.timedelta(days=limit + 1 - i) for i in range(1, limit + 1)]
    span += days + [days[-1] + dt.timedelta(days=i) for i in range(1, limit + 1)]
    for staff_id in staff_ids:
        for i in range(len(span) - limit):
            window = span[i : i + limit + 1]
            if not any(d in period for d in window):
                continue
            model.add(sum(shift_on(staff_id, d, n) for d in window for n in nights_of) <= limit)

    # Weekly hours, counting what other rosters already give the person that week.
    cap = max_weekly_minutes()
    weeks = defaultdict(list)
    for day in days:
        weeks[week_start(day)].append(day)
    for staff_id in staff_ids:
        for monday, week_days in weeks.items():
            already = sum(
                s.shift.minutes
                for s in problem.fixed[staff_id]
                if week_start(s.date) == monday and s.date not in period
            )
            model.add(
                sum(on.get((staff_id, d, s.pk), 0) * s.minutes for d in week_days for s in shifts)
                <= cap - already
            )

    # Coverage, with a shortfall variable per (day, shift, post).
    shortfalls = {}
    for day in days:
        for shift in shifts:
            for post_id in posts_needed[shift.pk]:
                need = problem.requirements[shift.pk, post_id]
                short = model.new_int_var(0, need, f"gap{day}_{shift.pk}_{post_id}")
                shortfalls[day, shift, post_id] = short
                keys = [(s, day, shift.pk, post_id) for s in staff_ids]
                # Exactly the requirement: extra people on one shift are missing from another.
                model.add(sum(x[k] for k in keys if k in x) + short == need)

    # Fairness among those who can take a night at all: narrow the spread of nights, weekends
    # and total shifts. Leave shortens someone's month, so totals are only a tie-breaker.
    def spread(counts: dict[int, object], name: str):
        high = model.new_int_var(0, len(days), f"{name}_max")
        low = model.new_int_var(0, len(days), f"{name}_min")
        for count in counts.values():
            model.add(count <= high)
            model.add(count >= low)
        return high - low

    weekend_days = [d for d in days if d.weekday() >= 5]
    night_counts = {
        s: sum(on.get((s, d, n), 0) for d in days for n in nights_of) for s in staff_ids
    }
    weekend_counts = {
        s: sum(on.get((s, d, t.pk), 0) for d in weekend_days for t in shifts) for s in staff_ids
    }
    total_counts = {
        s: sum(on.get((s, d, t.pk), 0) for d in days for t in shifts) for s in staff_ids
    }
    night_able = {
        s: count
        for s, count in night_counts.items()
        if any((s, d, n) in on for d in days for n in nights_of)
    }

    def shortfall_of(chosen) -> dict[tuple[dt.date, int, int], int]:
        filled = defaultdict(int)
        for _, day, shift_id, post_id in chosen:
            filled[day, shift_id, post_id] += 1
        return {
            (day, shift.pk, post_id): need - filled[day, shift.pk, post_id]
            for (day, shift, post_id) in shortfalls
            if (need := problem.requirements[shift.pk, post_id]) > filled[day, shift.pk, post_id]
        }

    # Two phases: the weighted sum of both goals gives the search a weak bound and it stalls,
    # while coverage alone solves fast; fairness then improves on it without losing coverage.
    # The greedy roster is the starting point and, should the solver find nothing better in
    # time (a busy server), the answer: it breaks no rule either.
    budget = seconds or settings.SHIFTS_SOLVER_SECONDS
    chosen, status = greedy_roster(problem), "GREEDY"
    shortfall = sum(shortfalls.values())
    model.minimize(shortfall)
    for key, var in x.items():
        model.add_hint(var, key in chosen)
    cover = _solver(budget * 0.4)
    if cover.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen, status = {k for k, var in x.items() if cover.value(var)}, "COVERAGE"
    model.add(shortfall <= sum(shortfall_of(chosen).values()))
    model.clear_hints()
    for key, var in x.items():
        model.add_hint(var, key in chosen)
    model.minimize(
        100 * spread(night_able, "nights")
        + 30 * spread(weekend_counts, "weekends")
        + 10 * spread(total_counts, "totals")
    )
    fair = _solver(max(budget - cover.wall_time, 1.0))
    fair_status = fair.solve(model)
    if fair_status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen, status = (
            {k for k, var in x.items() if fair.value(var)},
            fair.status_name(fair_status),
        )

    by_id = {t.pk: t for t in shifts}
    solution = Solution(
        assignments=[(s, d, by_id[t], p) for s, d, t, p in sorted(chosen, key=str)],
        status=status,
    )
    for (day, shift_id, post_id), missing in shortfall_of(chosen).items():
        need = problem.requirements[shift_id, post_id]
        solution.gaps.append(Gap(day, by_id[shift_id], post_id, need, need - missing))
    solution.nights = dict.fromkeys(night_able, 0)
    solution.weekends = dict.fromkeys(staff_ids, 0)
    for s, d, t, _ in chosen:
        if by_id[t].crosses_midnight and s in solution.nights:
            solution.nights[s] += 1
        if d.weekday() >= 5:
            solution.weekends[s] += 1
    return solution


def _solver(seconds: float) -> "cp_model.CpSolver":
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 8
    solver.parameters.random_seed = 1
    return solver
