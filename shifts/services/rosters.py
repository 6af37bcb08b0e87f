"""Creating, editing, publishing and amending rosters (jadwal dinas)."""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dukcapil.locks import advisory_lock
from shifts.models import Amendment, Assignment, Post, Roster, RosterStatus, ShiftType, Staff
from shifts.rules import Slot, day_text, person_violations
from shifts.services import context

PUBLISH = "shifts.publish_roster"
OVERLAP_CONSTRAINT = "roster_no_overlap"


def require_supervisor(actor: AbstractBaseUser) -> None:
    if not actor.has_perm(PUBLISH):
        raise PermissionDenied("Hanya Kepala Seksi yang dapat menyusun dan mengubah jadwal dinas.")


def roster_create(*, period_start: dt.date, period_end: dt.date, actor: AbstractBaseUser) -> Roster:
    require_supervisor(actor)
    if period_end < period_start:
        raise ValidationError("Tanggal akhir jadwal tidak boleh sebelum tanggal mulai.")
    if (period_end - period_start).days > 62:
        raise ValidationError("Satu jadwal dinas paling lama dua bulan.")
    with transaction.atomic():
        # One roster per day, so "who is on duty" never has two answers. The roster that would
        # clash may not exist yet, so creators queue on one lock and the later one sees the
        # earlier one here (concurrent inserts into the exclusion constraint alone can deadlock).
        advisory_lock("shifts.roster_create")
        clash = Roster.objects.filter(
            period_start__lte=period_end, period_end__gte=period_start
        ).first()
        if clash:
            raise ValidationError(f"Periode ini bertumpang tindih dengan {clash}.")
        try:
            with transaction.atomic():
                return Roster.objects.create(
                    period_start=period_start, period_end=period_end, created_by=actor
                )
        except IntegrityError as exc:
            # The last line of defence, for a roster written past this service: on PostgreSQL
            # the exclusion constraint (migration 0004) refuses an overlapping period.
            if OVERLAP_CONSTRAINT not in str(exc):
                raise
            raise ValidationError(
                "Periode ini bertumpang tindih dengan jadwal dinas yang baru saja dibuat "
                "petugas lain; muat ulang daftar jadwal."
            ) from None


def roster_lock(roster: Roster) -> Roster:
    """The roster, re-read and row-locked: every change to a roster starts here."""
    return Roster.objects.select_for_update().get(pk=roster.pk)


def staff_lock(ids) -> None:
    """Lock people's rows, in pk order (no deadlocks), before judging their schedules: rest and
    night rules span rosters, so two rosters edited at once must not each approve half a
    forbidden pair (malam 31 Januari in one, pagi 1 Februari in the other)."""
    list(Staff.objects.filter(pk__in=list(ids)).order_by("pk").select_for_update())


def _code(assignment: Assignment | None) -> str:
    if assignment is None:
        return ""
    return f"{assignment.shift_type.code}/{assignment.post.code}"


def _replace(
    roster: Roster, staff: Staff, day: dt.date, shift_type: ShiftType | None, post: Post | None
) -> tuple[str, str]:
    """Put ``staff`` on ``shift_type``/``post`` (or off duty) on ``day``; returns before, after."""
    if not roster.period_start <= day <= roster.period_end:
        raise ValidationError(f"{day_text(day)} di luar periode {roster}.")
    if (shift_type is None) != (post is None):
        raise ValidationError("Isi shift dan pos bersama-sama, atau kosongkan keduanya (libur).")
    staff_lock([staff.pk])
    current = (
        Assignment.objects.select_related("shift_type", "post")
        .filter(roster=roster, staff=staff, date=day)
        .first()
    )
    if shift_type is not None:
        person = context.people([staff], day - context.MARGIN, day + context.MARGIN)[staff.pk]
        others = context.slots([staff.pk], day - context.MARGIN, day + context.MARGIN)[staff.pk]
        others = [s for s in others if not (current and s.date == day)]
        candidate = Slot(day, shift_type, post.pk)
        problems = person_violations(person, [*others, candidate], focus=[day])
        if problems:
            raise ValidationError([p.message for p in problems])
    before = _code(current)
    if current:
        current.delete()
    if shift_type is None:
        return before, ""
    created = Assignment.objects.create(
        roster=roster, staff=staff, date=day, shift_type=shift_type, post=post
    )
    return before, _code(created)


@transaction.atomic
def assignment_set(
    *,
    roster: Roster,
    staff: Staff,
    day: dt.date,
    shift_type: ShiftType | None,
    post: Post | None,
    actor: AbstractBaseUser,
) -> None:
    """Edit a draft roster by hand: the same rules as generation apply."""
    require_supervisor(actor)
    roster = roster_lock(roster)
    if roster.is_published:
        raise ValidationError(
            f"{roster} sudah diterbitkan dan dibekukan; perubahan hanya lewat amandemen."
        )
    _replace(roster, staff, day, shift_type, post)


@transaction.atomic
def roster_amend(
    *,
    roster: Roster,
    staff: Staff,
    day: dt.date,
    shift_type: ShiftType | None,
    post: Post | None,
    reason: str,
    actor: AbstractBaseUser,
) -> Amendment:
    """Change a published roster, on the record: who, what, when and why."""
    require_supervisor(actor)
    roster = roster_lock(roster)
    if not roster.is_published:
        raise ValidationError(f"{roster} masih draf; ubah langsung tanpa amandemen.")
    if not reason.strip():
        raise ValidationError("Perubahan jadwal yang sudah terbit wajib disertai alasan.")
    before, after = _replace(roster, staff, day, shift_type, post)
    if before == after:
        raise ValidationError(f"Tidak ada perubahan untuk {staff} pada {day_text(day)}.")
    return Amendment.objects.create(
        roster=roster,
        staff=staff,
        date=day,
        before=before,
        after=after,
        reason=reason.strip(),
        actor=actor,
    )


def roster_violations(roster: Roster) -> list[str]:
    """Every rule the roster's assignments break, with their neighbours in other rosters."""
    start, end = roster.period_start - context.MARGIN, roster.period_end + context.MARGIN
    staff = Staff.objects.filter(assignments__roster=roster).distinct()
    persons = context.people(staff, start, end)
    schedules = context.slots(persons, start, end)
    return [
        v.message
        for staff_id, person in persons.items()
        for v in person_violations(person, schedules[staff_id], focus=roster.days())
    ]


@transaction.atomic
def roster_publish(*, roster: Roster, actor: AbstractBaseUser) -> Roster:
    require_supervisor(actor)
    roster = roster_lock(roster)
    if roster.is_published:
        raise ValidationError(f"{roster} sudah diterbitkan.")
    if problems := roster_violations(roster):
        raise ValidationError(problems)
    roster.status, roster.published_by, roster.published_at = (
        RosterStatus.PUBLISHED,
        actor,
        timezone.now(),
    )
    roster.save(update_fields=["status", "published_by", "published_at"])
    return roster
