"""Generate a month's roster for 60 staff and check it independently of the solver.

    DATABASE_URL=postgres://root@127.0.0.1:5432/dukcapil_bench \
        .venv/bin/python bench/roster_generate.py

EMPTIES THE ROSTER TABLES of the database it runs on: use a benchmark database.

60 staff, 31 days (January 2020), 3 shift types, 5 posts with coverage requirements (20 people
a day), 10% of staff on leave for a week. Prints generation time, hard-rule violations found by
``shifts.rules`` (must be 0), coverage filled against required, and the spread (max − min) of
night and weekend shifts per person. Targets: < 30 s, 0 violations, 100% coverage, nights ≤ 2.
"""

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on_postgres

django_on_postgres()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from shifts.demo import coverage_load, staff_create  # noqa: E402
from shifts.models import CoverageRequirement, Leave, LeaveKind  # noqa: E402
from shifts.services import roster_create, roster_generate, roster_violations  # noqa: E402

START, END = dt.date(2020, 1, 1), dt.date(2020, 1, 31)


def empty_rosters() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE shifts_amendment, shifts_assignment, shifts_roster, shifts_leave, "
            "shifts_staff_posts, shifts_staff, shifts_coveragerequirement RESTART IDENTITY CASCADE"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=15, help="solver time limit")
    args = parser.parse_args()

    empty_rosters()
    actor, _ = get_user_model().objects.get_or_create(
        username="bench-jadwal", defaults={"is_superuser": True, "is_staff": True}
    )
    coverage_load()
    staff = staff_create(count=args.staff)
    rng = random.Random(7)
    on_leave = rng.sample(staff, len(staff) // 10)
    for person in on_leave:
        start = START + dt.timedelta(days=rng.randint(0, 24))
        Leave.objects.create(
            staff=person, kind=LeaveKind.ANNUAL, start=start, end=start + dt.timedelta(days=6)
        )
    roster = roster_create(period_start=START, period_end=END, actor=actor)

    started = time.perf_counter()
    solution = roster_generate(roster=roster, actor=actor, seconds=args.seconds)
    seconds = time.perf_counter() - started

    violations = roster_violations(roster)
    required = sum(r.min_staff for r in CoverageRequirement.objects.all()) * len(roster.days())
    filled = roster.assignments.count()
    nights, weekends = solution.nights.values(), solution.weekends.values()
    print(f"staf {len(staff)}, {len(on_leave)} cuti seminggu, {len(roster.days())} hari")
    print(
        f"waktu penyusunan        : {seconds:.1f} s (batas solver {args.seconds:g} s; "
        "target < 30 s)"
    )
    print(f"status solver           : {solution.status}")
    print(f"pelanggaran aturan      : {len(violations)} (target 0)")
    for message in violations[:10]:
        print(f"  - {message}")
    print(f"kebutuhan terisi        : {filled} / {required} ({100 * filled / required:.1f}%)")
    print(
        f"shift malam per orang   : {min(nights)}–{max(nights)} "
        f"(sebaran {solution.night_spread}; target ≤ 2)"
    )
    print(
        f"akhir pekan per orang   : {min(weekends)}–{max(weekends)} "
        f"(sebaran {solution.weekend_spread})"
    )
    print(f"kekurangan dilaporkan   : {sum(g.required - g.filled for g in solution.gaps)}")


if __name__ == "__main__":
    main()
