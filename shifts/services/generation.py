"""Filling a draft roster automatically (the solver lives in ``shifts.generator``).

The solver may think for many seconds, so it works on a snapshot read without locks. Only at
the end does the service lock the roster and the staff, read the snapshot again and write —
if anyone changed a schedule, a leave or a requirement meanwhile, nothing is written and the
supervisor is asked to generate again.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from shifts.generator import Problem, Solution, solve
from shifts.models import Assignment, CoverageRequirement, Roster, ShiftType, Staff
from shifts.services import context
from shifts.services.rosters import require_supervisor, roster_lock, staff_lock

CHANGED_MEANWHILE = (
    "Jadwal, cuti atau kebutuhan petugas berubah selama jadwal disusun; tidak ada yang "
    "disimpan. Susun ulang jadwalnya."
)


def roster_generate(
    *, roster: Roster, actor: AbstractBaseUser, seconds: float | None = None
) -> Solution:
    """Replace a draft roster's assignments with generated ones; gaps are returned, not hidden."""
    require_supervisor(actor)
    problem = _problem(Roster.objects.get(pk=roster.pk))
    solution = solve(problem, seconds=seconds)
    with transaction.atomic():
        roster = roster_lock(roster)
        staff_lock(problem.people)
        if _problem(roster) != problem:
            raise ValidationError(CHANGED_MEANWHILE)
        roster.assignments.all().delete()
        Assignment.objects.bulk_create(
            Assignment(roster=roster, staff_id=s, date=d, shift_type=t, post_id=p)
            for s, d, t, p in solution.assignments
        )
    return solution


def _problem(roster: Roster) -> Problem:
    """What the solver needs, read as it stands; refuses a published or unconfigured roster."""
    if roster.is_published:
        raise ValidationError(f"{roster} sudah diterbitkan; jadwal terbit tidak disusun ulang.")
    requirements = {
        (r.shift_type_id, r.post_id): r.min_staff for r in CoverageRequirement.objects.all()
    }
    if not requirements:
        raise ValidationError("Belum ada kebutuhan petugas per shift dan pos; isi dulu.")
    start, end = roster.period_start - context.MARGIN, roster.period_end + context.MARGIN
    staff = list(Staff.objects.filter(active=True))
    fixed = context.slots([s.pk for s in staff], start, end, leave_out=roster)
    return Problem(
        days=roster.days(),
        shift_types=list(ShiftType.objects.all()),
        requirements=requirements,
        people=context.people(staff, start, end),
        # In a fixed order, so the snapshot read again at the end compares equal.
        fixed={s.pk: sorted(fixed.get(s.pk, ()), key=_slot_key) for s in staff},
    )


def _slot_key(slot) -> tuple:
    return slot.date, slot.shift.pk, slot.post_id
