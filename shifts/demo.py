"""Demo staff with their accounts, leave and one published roster around the demo's today
(the past weeks of the campaign and the coming month), for seed_demo."""

import datetime as dt
import random

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dukcapil.days import month_end
from dukcapil.roles import HANDOVER, PRINTING, RECORDING, REGISTRATION, SUPERVISOR
from shifts.models import (
    Assignment,
    CoverageRequirement,
    Leave,
    LeaveKind,
    Post,
    Roster,
    ShiftType,
    Staff,
)
from shifts.reference import reference_load
from shifts.services import assignment_set, roster_create, roster_generate, roster_publish

FIRST_NAMES = [
    "Yohanes", "Maria", "Agustinus", "Fransiska", "Kristoforus", "Martha", "Yoseph", "Antonius",
    "Elisabeth", "Paulus", "Theresia", "Markus", "Yuliana", "Stefanus", "Veronika", "Petrus",
    "Anselmus", "Margaretha", "Dominikus", "Bernadete", "Yakobus", "Ferdinandus", "Imelda",
    "Simon", "Lusia", "Aleksander", "Yublina", "Melkianus", "Orpa", "Daniel",
]  # fmt: skip
LAST_NAMES = [
    "Ndolu", "Benu", "Laka", "Manafe", "Nenobais", "Fanggidae", "Riwu", "Tefa", "Bana",
    "Lakapu", "Nope", "Kana", "Lay", "Pah", "Tanono", "Foenay", "Amalo", "Dethan", "Messakh",
    "Boimau", "Tallo", "Adoe", "Ratu", "Bessie", "Mbura", "Sinlae", "Kolo", "Henuk",
]  # fmt: skip
FEMALE = {"Maria", "Fransiska", "Martha", "Elisabeth", "Theresia", "Yuliana", "Veronika",
          "Margaretha", "Bernadete", "Imelda", "Lusia", "Yublina", "Orpa"}  # fmt: skip
# Per shift: post code → people needed. Fewer applicants come at night, so fewer desks open.
COVERAGE = {
    "P": {"DAF": 2, "REK": 2, "CTK": 1, "SRH": 1, "AWS": 1},
    "S": {"DAF": 2, "REK": 2, "CTK": 1, "SRH": 1, "AWS": 1},
    "M": {"DAF": 1, "REK": 2, "CTK": 1, "SRH": 1, "AWS": 1},
}
SUPERVISOR_USERNAME = "kasi"
# The role a petugas's account gets from the post they are rostered on most.
POST_ROLES = {
    "DAF": REGISTRATION,
    "REK": RECORDING,
    "CTK": PRINTING,
    "SRH": HANDOVER,
    "AWS": SUPERVISOR,
}
ROSTER_DAYS_AHEAD = 30
CLERK_DAYS_AHEAD = 14  # demo logins stay on duty in their shift for two weeks
# A short search: the greedy start already breaks no rule, and the demo should start quickly.
SOLVER_SECONDS = 3


def demo_nip(rng: random.Random, taken: set[str], female: bool) -> str:
    """A structurally valid NIP: birth date, appointment month, sex, serial."""
    while True:
        born = dt.date(rng.randint(1968, 1997), rng.randint(1, 12), rng.randint(1, 28))
        appointed = min(born.year + rng.randint(22, 28), 2019)
        nip = f"{born:%Y%m%d}{appointed}{rng.randint(1, 12):02d}{2 if female else 1}"
        nip += f"{rng.randint(1, 999):03d}"
        if nip not in taken:
            taken.add(nip)
            return nip


def coverage_load() -> None:
    shifts = {s.code: s for s in ShiftType.objects.all()}
    posts = {p.code: p for p in Post.objects.all()}
    for shift_code, needs in COVERAGE.items():
        for post_code, count in needs.items():
            CoverageRequirement.objects.get_or_create(
                shift_type=shifts[shift_code], post=posts[post_code], defaults={"min_staff": count}
            )


def staff_create(*, count: int, seed: int = 2020) -> list[Staff]:
    """``count`` staff, each qualified for two or three posts; one in six may supervise."""
    rng = random.Random(seed)
    posts = {p.code: p for p in Post.objects.all()}
    desks = ["DAF", "REK", "CTK", "SRH"]
    taken = set(Staff.objects.values_list("nip", flat=True))
    names: set[str] = set(Staff.objects.values_list("name", flat=True))
    created = []
    for index in range(count):
        while (name := f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}") in names:
            pass
        names.add(name)
        staff = Staff.objects.create(
            nip=demo_nip(rng, taken, name.split()[0] in FEMALE), name=name, user=_account(name)
        )
        # Rotating the desks guarantees every desk enough people whatever the random draw.
        skills = {desks[index % 4], desks[(index + 1) % 4]}
        if rng.random() < 0.3:
            skills.add(rng.choice(desks))
        if index % 6 == 0:
            skills.add("AWS")
        staff.posts.set([posts[code] for code in skills])
        staff.user.groups.set(Group.objects.filter(name__in=[POST_ROLES[c] for c in skills]))
        created.append(staff)
    return created


def _account(name: str) -> AbstractBaseUser:
    """A petugas's own account, so every step they take names them; it has no password until
    an administrator gives it one."""
    first, last = name.split(" ", 1)
    user = get_user_model()(
        username=name.lower().replace(" ", "."), first_name=first, last_name=last, is_staff=True
    )
    user.set_unusable_password()
    user.save()
    return user


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    return first, month_end(first)


def _supervisor() -> AbstractBaseUser:
    # The demo Kepala Seksi (see demo_users); without a password until demo_users sets one.
    user, created = get_user_model().objects.get_or_create(
        username=SUPERVISOR_USERNAME, defaults={"is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name="Kepala Seksi"))
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def roster_period(today: dt.date, campaign_start: dt.date) -> tuple[dt.date, dt.date]:
    """From the campaign's first day to a month ahead, capped at what one roster may span."""
    end = today + dt.timedelta(days=ROSTER_DAYS_AHEAD)
    return max(campaign_start, end - dt.timedelta(days=61)), end


@transaction.atomic
def seed_rosters(
    *,
    campaign_start: dt.date | None = None,
    clerks: dict[str, AbstractBaseUser] | None = None,
    staff_count: int = 45,
    actor: AbstractBaseUser | None = None,
) -> int:
    """Staff with qualifications and accounts, some leave, and one roster from the campaign's
    start to a month ahead, generated and published. ``clerks`` (post code → user) become
    petugas on duty at their post in the shift running now. Safe to run twice; returns the
    number of assignments added."""
    today = timezone.localdate()
    first, last = roster_period(today, campaign_start or today.replace(day=1))
    if Roster.objects.filter(period_start__lte=last, period_end__gte=first).exists():
        return 0
    reference_load(apps)
    actor = actor or _supervisor()
    coverage_load()
    staff = Staff.objects.filter(active=True)
    staff = list(staff) if staff.count() >= staff_count else staff_create(count=staff_count)
    rng = random.Random(first.toordinal())
    kinds = [LeaveKind.ANNUAL, LeaveKind.SICK, LeaveKind.OFFICIAL, LeaveKind.ANNUAL]
    span = (last - first).days - 7
    for person, kind in zip(rng.sample(staff, len(kinds)), kinds, strict=True):
        start = first + dt.timedelta(days=rng.randint(0, span))
        Leave.objects.create(
            staff=person, kind=kind, start=start, end=start + dt.timedelta(days=rng.randint(1, 6))
        )
    roster = roster_create(period_start=first, period_end=last, actor=actor)
    roster_generate(roster=roster, actor=actor, seconds=SOLVER_SECONDS)
    for post_code, user in (clerks or {}).items():
        _clerk_on_duty(roster, _clerk_staff(user, post_code, rng), post_code, actor)
    roster_publish(roster=roster, actor=actor)
    return roster.assignments.count()


def shift_now() -> tuple[dt.date, ShiftType]:
    """The shift running now and the day it started (a night began yesterday after midnight)."""
    now = timezone.localtime().replace(tzinfo=None)
    for shift_type in ShiftType.objects.all():
        for day in (now.date() - dt.timedelta(days=1), now.date()):
            start, end = shift_type.window(day)
            if start <= now < end:
                return day, shift_type
    raise ValidationError("Tidak ada shift yang berjalan sekarang.")


def _clerk_staff(user: AbstractBaseUser, post_code: str, rng: random.Random) -> Staff:
    staff, _ = Staff.objects.get_or_create(
        user=user,
        defaults={
            "name": user.get_full_name() or user.username,
            "nip": demo_nip(rng, set(Staff.objects.values_list("nip", flat=True)), False),
        },
    )
    staff.posts.add(Post.objects.get(code=post_code))
    return staff


def _clerk_on_duty(roster: Roster, staff: Staff, post_code: str, actor: AbstractBaseUser) -> None:
    """The clerk works the shift running now, and the same shift five days a week for two
    weeks after it as far as the rules allow (a day the rules refuse stays off)."""
    day, shift_type = shift_now()
    post = Post.objects.get(code=post_code)
    for offset in range(min(CLERK_DAYS_AHEAD, (roster.period_end - day).days + 1)):
        if offset % 7 < 5:
            try:
                assignment_set(
                    roster=roster,
                    staff=staff,
                    day=day + dt.timedelta(days=offset),
                    shift_type=shift_type,
                    post=post,
                    actor=actor,
                )
            except ValidationError:
                if offset == 0:
                    raise


def duty_index(roster: Roster) -> dict[tuple[dt.date, str, str], list[tuple[int, int]]]:
    """(day the shift starts, shift code, post code) → [(assignment id, user id)] of the
    roster's petugas who have an account: who may be named on a step taken then."""
    index: dict[tuple[dt.date, str, str], list[tuple[int, int]]] = {}
    rows = Assignment.objects.filter(roster=roster, staff__user__isnull=False).values_list(
        "date", "shift_type__code", "post__code", "pk", "staff__user"
    )
    for day, shift_code, post_code, pk, user_id in rows.order_by("pk"):
        index.setdefault((day, shift_code, post_code), []).append((pk, user_id))
    return index
