"""Demo staff, leave and a published roster for the current month, for seed_demo."""

import datetime as dt
import random

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.utils import timezone

from shifts.models import CoverageRequirement, Leave, LeaveKind, Post, Roster, ShiftType, Staff
from shifts.reference import reference_load
from shifts.services import roster_create, roster_generate, roster_publish

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
        staff = Staff.objects.create(nip=demo_nip(rng, taken, name.split()[0] in FEMALE), name=name)
        # Rotating the desks guarantees every desk enough people whatever the random draw.
        skills = {desks[index % 4], desks[(index + 1) % 4]}
        if rng.random() < 0.3:
            skills.add(rng.choice(desks))
        if index % 6 == 0:
            skills.add("AWS")
        staff.posts.set([posts[code] for code in skills])
        created.append(staff)
    return created


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


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


@transaction.atomic
def seed_rosters(*, staff_count: int = 45, actor: AbstractBaseUser | None = None) -> int:
    """Staff with qualifications, some leave, and this month's roster generated and published.
    Safe to run twice; returns the number of assignments added."""
    first, last = month_of(timezone.localdate())
    if Roster.objects.filter(period_start__lte=last, period_end__gte=first).exists():
        return 0
    reference_load(apps)
    actor = actor or _supervisor()
    coverage_load()
    staff = Staff.objects.filter(active=True)
    staff = list(staff) if staff.count() >= staff_count else staff_create(count=staff_count)
    rng = random.Random(first.toordinal())
    kinds = [LeaveKind.ANNUAL, LeaveKind.SICK, LeaveKind.OFFICIAL, LeaveKind.ANNUAL]
    for person, kind in zip(rng.sample(staff, len(kinds)), kinds, strict=True):
        start = first + dt.timedelta(days=rng.randint(0, 20))
        Leave.objects.create(
            staff=person, kind=kind, start=start, end=start + dt.timedelta(days=rng.randint(1, 6))
        )
    roster = roster_create(period_start=first, period_end=last, actor=actor)
    solution = roster_generate(roster=roster, actor=actor)
    roster_publish(roster=roster, actor=actor)
    return len(solution.assignments)
