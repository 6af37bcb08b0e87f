"""Generate a month's roster for 60 staff and check it independently of the solver.

    DATABASE_URL=postgres://root@127.0.0.1:5432/dukcapil_bench \
        .venv/bin/python bench/roster_generate.py

EMPTIES THE ROSTER TABLES, and deletes the staff's accounts, of the database it runs on: use a
benchmark database.

60 staff, 31 days (January 2020), 3 shift types, 5 posts with coverage requirements (20 people
a day), 10% of staff on leave for a week. The solver runs once as a warm-up, then three times
(``bench/_measure.py``), the roster's assignments emptied before each run. Prints the median
generation time with its spread and the load average, the solver's status on each run, and for
the roster the last run left: hard-rule violations found by ``shifts.rules`` (must be 0),
coverage filled against required, and the spread (max − min) of night and weekend shifts per
person. Targets: < 30 s, 0 violations, 100% coverage, nights ≤ 2. The solver usually works to
its --seconds limit (15 s), so the script takes about 80 s.
"""

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

# The project, not bench/, first on the path: bench/queue.py must not stand in for the stdlib's.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
from bench._measure import interleaved, load_average  # noqa: E402
from bench._setup import django_on_postgres  # noqa: E402

django_on_postgres()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from shifts.demo import coverage_load, staff_create  # noqa: E402
from shifts.models import CoverageRequirement, Leave, LeaveKind  # noqa: E402
from shifts.services import roster_create, roster_generate, roster_violations  # noqa: E402

START, END = dt.date(2020, 1, 1), dt.date(2020, 1, 31)


def empty_rosters() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT user_id FROM shifts_staff WHERE user_id IS NOT NULL")
        accounts = [user_id for (user_id,) in cursor.fetchall()]
        cursor.execute(
            "TRUNCATE shifts_amendment, shifts_assignment, shifts_roster, shifts_leave, "
            "shifts_staff_posts, shifts_staff, shifts_coveragerequirement RESTART IDENTITY CASCADE"
        )
        # The staff's own accounts go too, or the demo staff could not be created again.
        cursor.execute("DELETE FROM auth_user_groups WHERE user_id = ANY(%s)", [accounts])
        cursor.execute("DELETE FROM auth_user WHERE id = ANY(%s)", [accounts])


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

    statuses = []

    def generate():
        solution = roster_generate(roster=roster, actor=actor, seconds=args.seconds)
        statuses.append(solution.status)
        return solution

    timed = interleaved(
        {"generate": generate}, before_each=lambda _: roster.assignments.all().delete()
    )["generate"]
    solution = timed.result

    violations = roster_violations(roster)
    required = sum(r.min_staff for r in CoverageRequirement.objects.all()) * len(roster.days())
    filled = roster.assignments.count()
    nights, weekends = solution.nights.values(), solution.weekends.values()
    print(f"staf {len(staff)}, {len(on_leave)} cuti seminggu, {len(roster.days())} hari")
    print(
        f"waktu penyusunan        : median {timed.median:.1f} s ({timed.spread()}; "
        f"batas solver {args.seconds:g} s; target < 30 s)"
    )
    print(f"                          {load_average()}")
    print(f"status solver           : {', '.join(statuses)} (pemanasan lalu tiap putaran)")
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
