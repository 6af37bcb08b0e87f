"""Filling a draft roster automatically (the solver lives in ``shifts.generator``)."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from shifts.generator import Problem, Solution, solve
from shifts.models import Assignment, CoverageRequirement, Roster, ShiftType, Staff
from shifts.services import context
from shifts.services.rosters import require_supervisor, roster_lock, staff_lock


@transaction.atomic
def roster_generate(
    *, roster: Roster, actor: AbstractBaseUser, seconds: float | None = None
) -> Solution:
    """Replace a draft roster's assignments with generated ones; gaps are returned, not hidden."""
    require_supervisor(actor)
    roster = roster_lock(roster)
    if roster.is_published:
        raise ValidationError(f"{roster} sudah diterbitkan; jadwal terbit tidak disusun ulang.")
    requirements = {
        (r.shift_type_id, r.post_id): r.min_staff for r in CoverageRequirement.objects.all()
    }
    if not requirements:
        raise ValidationError("Belum ada kebutuhan petugas per shift dan pos; isi dulu.")
    start, end = roster.period_start - context.MARGIN, roster.period_end + context.MARGIN
    staff = list(Staff.objects.filter(active=True))
    staff_lock(s.pk for s in staff)
    problem = Problem(
        days=roster.days(),
        shift_types=list(ShiftType.objects.all()),
        requirements=requirements,
        people=context.people(staff, start, end),
        fixed=context.slots([s.pk for s in staff], start, end, leave_out=roster),
    )
    solution = solve(problem, seconds=seconds)
    roster.assignments.all().delete()
    Assignment.objects.bulk_create(
        Assignment(roster=roster, staff_id=s, date=d, shift_type=t, post_id=p)
        for s, d, t, p in solution.assignments
    )
    return solution
