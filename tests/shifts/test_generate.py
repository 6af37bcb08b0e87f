"""Generation covers what can be covered, breaks no rule and names the gaps it leaves."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shifts.models import Assignment, Leave
from shifts.services import roster_generate, roster_violations

WEEK = (dt.date(2020, 1, 6), dt.date(2020, 1, 19))


@pytest.fixture
def team(make_staff):
    return [make_staff(f"Petugas {n:02d}", posts=("REK", "CTK")) for n in range(12)]


def test_it_fills_every_requirement_without_breaking_a_rule(team, make_roster, require, supervisor):
    require("P", "REK", 1)
    require("S", "REK", 1)
    require("M", "CTK", 1)
    Leave.objects.create(staff=team[0], start=WEEK[0], end=dt.date(2020, 1, 12), kind="cuti")
    roster = make_roster(*WEEK)

    solution = roster_generate(roster=roster, actor=supervisor)

    assert solution.gaps == []
    assert roster.assignments.count() == 14 * 3
    assert roster_violations(roster) == []
    assert not roster.assignments.filter(staff=team[0], date__lte=dt.date(2020, 1, 12)).exists()
    assert solution.night_spread <= 1


def test_it_reports_a_requirement_nobody_can_meet(team, make_roster, require, supervisor, post):
    require("P", "REK", 1)
    require("M", "AWS", 1)  # nobody is qualified as Pengawas
    roster = make_roster(dt.date(2020, 1, 6), dt.date(2020, 1, 8))

    solution = roster_generate(roster=roster, actor=supervisor)

    assert len(solution.gaps) == 3
    assert {(g.post_id, g.required, g.filled) for g in solution.gaps} == {(post["AWS"].pk, 1, 0)}
    assert Assignment.objects.filter(post=post["REK"]).count() == 3


def test_it_respects_a_night_worked_in_the_previous_roster(
    make_staff, make_roster, require, supervisor, shift, post
):
    from shifts.services import assignment_set

    solo = make_staff("Maria Benu")
    require("P", "REK", 1)
    january = make_roster(dt.date(2020, 1, 1), dt.date(2020, 1, 31))
    assignment_set(
        roster=january,
        staff=solo,
        day=dt.date(2020, 1, 31),
        shift_type=shift["M"],
        post=post["REK"],
        actor=supervisor,
    )
    february = make_roster(dt.date(2020, 2, 1), dt.date(2020, 2, 2))

    solution = roster_generate(roster=february, actor=supervisor)

    # 1 February pagi would follow the 31 January night: left as a gap, not broken.
    assert [g.day for g in solution.gaps] == [dt.date(2020, 2, 1)]
    assert roster_violations(february) == []


def test_a_published_roster_is_not_regenerated(team, make_roster, require, supervisor):
    from shifts.services import roster_publish

    require("P", "REK", 1)
    roster = make_roster(*WEEK)
    roster_publish(roster=roster, actor=supervisor)
    with pytest.raises(ValidationError, match="sudah diterbitkan"):
        roster_generate(roster=roster, actor=supervisor)


def test_nothing_is_written_when_a_schedule_changes_while_the_solver_thinks(
    team, make_roster, require, supervisor, shift, post, monkeypatch
):
    from shifts.services import assignment_set, generation

    require("P", "REK", 1)
    january = make_roster(dt.date(2020, 1, 1), dt.date(2020, 1, 31))
    february = make_roster(dt.date(2020, 2, 1), dt.date(2020, 2, 2))
    thinking = generation.solve

    def solve_while_another_clerk_edits(problem, seconds):
        solution = thinking(problem, seconds=seconds)
        assignment_set(
            roster=january,
            staff=team[0],
            day=dt.date(2020, 1, 31),
            shift_type=shift["M"],
            post=post["REK"],
            actor=supervisor,
        )
        return solution

    monkeypatch.setattr(generation, "solve", solve_while_another_clerk_edits)
    with pytest.raises(ValidationError, match="berubah selama jadwal disusun"):
        roster_generate(roster=february, actor=supervisor)
    assert not february.assignments.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_solver_holds_no_lock_while_it_thinks(team, make_roster, require, supervisor):
    from django.db import connection

    from shifts.services import generation

    require("P", "REK", 1)
    roster = make_roster(*WEEK)
    thinking = generation.solve
    seen = []

    def solve(problem, seconds):
        seen.append(connection.in_atomic_block)
        return thinking(problem, seconds=seconds)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generation, "solve", solve)
        roster_generate(roster=roster, actor=supervisor)
    assert seen == [False]
    assert roster.assignments.count() == 14
