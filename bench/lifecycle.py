"""The campaign at full size: 40,000 applications through every desk, 8 clerks at each at once.

    createdb -h 127.0.0.1 -U root dukcapil_bench_lifecycle
    DATABASE_URL=postgres://root@127.0.0.1:5432/dukcapil_bench_lifecycle \\
        .venv/bin/python bench/lifecycle.py

EMPTIES THE REGISTER, THE APPLICATIONS AND THE BLANK STOCK of the database it runs on, so it
refuses a database whose name does not contain "bench".

Seeds --residents demo residents (100,000) and picks --applications (40,000) who can apply:
alive, WNI, wajib KTP, never recorded. The demo register holds about one such person in five
(most adults hold a card already), so when too few are found, that many residents recorded in
SIAK are set back to BELUM REKAM (STAT_RKM 2) — the output says how many.

The campaign then runs once as a warm-up and three times measured (``bench/_measure.py``): the
six steps below are the paths, interleaved in their own order, so each round takes the same
applicants from nothing to handed over. Before each round, untimed, the applications and the
blank stock are emptied, the blanks received again with one receipt and moved to --stations
printer stations; before each step the tables are ANALYZEd and each clerk loads their items,
and only then are the clerks let go. A full-size round is 240,000 transitions:
at the ~110 transitions/s measured on a busy 2-core machine (load average 11) that is over half
an hour, so the four rounds take two hours or more. For a look in about 9 minutes:
--residents 10000 --applications 2000 --sheet-rows 500.

In each step --threads clerks per desk (each with their own account in the desk's group) drive
every application through the services, one step after the other:
  submit     application_submit, the KK shown
  verify     berkas_check
  record     application_record
  PRR        central_results_import, sheets of --sheet-rows NIK/STATUS rows, one per clerk at a time
  print      card_print on one blank by serial at the clerk's station; --collide of each
             clerk's cards also meet a colleague at the same station: the same application on
             the same blank, or the clerk scans the colleague's next blank; the refused one goes
             on with another blank (a spare when the colleague took theirs)
  hand over  card_hand_over, identity verified
Prints the load average and per step the transitions of one round, the median seconds and
their spread, transitions/s, milliseconds per call per clerk, the queries of one call, and this
process's CPU per call and as a share of the step's time (medians over the runs): near 100%
means the clerks wait for Python (one interpreter lock for all threads), not PostgreSQL.
Then the audit, OK/FAIL per line, and a non-zero exit on any FAIL: in every round (warm-up
included) every step moved every application, with no errors and each collision refused once;
and in what the last round left, every issued card on exactly one used blank and every used
blank in exactly one card, events == transitions, stock_verify clean.
"""

import argparse
import dataclasses
import functools
import io
import os
import random
import statistics
import sys
import threading
import time
import traceback
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# The project, not bench/, first on the path: bench/queue.py must not stand in for the stdlib's.
sys.path[0] = str(Path(__file__).resolve().parent.parent)


def _bench_database_only() -> None:
    name = urlsplit(os.environ.get("DATABASE_URL", "")).path.lstrip("/")
    if "bench" not in name:
        sys.exit(
            "This benchmark empties the register: run it on a benchmark database, e.g.\n"
            "  createdb -h 127.0.0.1 -U root dukcapil_bench_lifecycle\n"
            "  DATABASE_URL=postgres://root@127.0.0.1:5432/dukcapil_bench_lifecycle "
            ".venv/bin/python bench/lifecycle.py"
        )


_bench_database_only()

from bench._measure import Timings, interleaved, load_average  # noqa: E402
from bench._setup import django_on_postgres  # noqa: E402

django_on_postgres()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from dukcapil.roles import BLANKS, HANDOVER, PRINTING, RECORDING, REGISTRATION  # noqa: E402
from dukcapil.spreadsheets import Table  # noqa: E402
from registry.demo import seed_residents  # noqa: E402
from registry.lifecycle import REQUIRED_DOCUMENTS  # noqa: E402
from registry.models import (  # noqa: E402
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    CardApplication,
    LifeStatus,
    Nationality,
    Resident,
    SiakRecordStatus,
    VerificationMethod,
)
from registry.services.applications import application_submit, berkas_check  # noqa: E402
from registry.services.central_results import central_results_import  # noqa: E402
from registry.services.handover import card_hand_over  # noqa: E402
from registry.services.printing import card_print  # noqa: E402
from registry.services.recording import application_record  # noqa: E402
from stock.models import Blank, BlankStatus, Location, LocationKind  # noqa: E402
from stock.selectors import blanks_used_twice  # noqa: E402
from stock.services import blanks_transfer, receipt_create  # noqa: E402

S = ApplicationStatus
KIND = ApplicationKind.NEW
SERIAL_PREFIX = "KTP"
METHODS = [VerificationMethod.FINGERPRINT, VerificationMethod.FACE, VerificationMethod.DOCUMENT]


# What one round of the campaign writes; the register and the stock's locations stay.
ROUND_TABLES = (
    "registry_applicationevent",
    "registry_documentcheck",
    "registry_suket",
    "registry_handoverrefusal",
    "registry_cardapplication",
    "stock_movement",
    "stock_blank",
    "stock_receipt",
    "stock_destruction",
    "stock_dailyclosing",
    "stock_budgetline",
)


def empty_tables(*tables: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# Setting up ---------------------------------------------------------------------------------


def register_seed(residents: int) -> None:
    started = time.perf_counter()
    seed_residents(count=residents)
    seconds = time.perf_counter() - started
    print(f"Register: {residents:,} demo residents seeded in {seconds:.1f} s")


def applicants_pick(count: int) -> list[int]:
    """Residents who can apply for a first card, topped up from SIAK's recorded ones."""
    can_apply = (
        Resident.objects.with_eligibility()
        .filter(is_eligible=True, life_status=LifeStatus.ALIVE, nationality=Nationality.CITIZEN)
        .filter(applications__isnull=True)
    )
    never_recorded = Q(siak_record_status__isnull=True) | Q(
        siak_record_status__lt=SiakRecordStatus.RECORDED
    )
    found = list(can_apply.filter(never_recorded).values_list("pk", flat=True))
    print(f"  {len(found):,} alive, eligible, never recorded: can apply for a first card")
    rng = random.Random(7)
    if len(found) < count:
        recorded = list(can_apply.exclude(never_recorded).values_list("pk", flat=True))
        missing = count - len(found)
        if len(recorded) < missing:
            sys.exit(f"Only {len(found) + len(recorded):,} eligible residents: raise --residents.")
        reset = rng.sample(recorded, missing)
        # Not a clerk's change: the bench only needs more people who have not recorded yet.
        Resident.objects.filter(pk__in=reset).update(
            siak_record_status=SiakRecordStatus.NOT_RECORDED
        )
        print(
            f"  {missing:,} residents recorded in SIAK set back to BELUM REKAM (STAT_RKM 2) "
            f"to reach {count:,} applicants"
        )
        found += reset
    return sorted(rng.sample(found, count))


def clerks_create(threads: int) -> dict[str, list]:
    """One account per clerk and desk, in the desk's group."""
    User = get_user_model()
    desks = {
        "registration": REGISTRATION,
        "recording": RECORDING,
        "printing": PRINTING,
        "handover": HANDOVER,
    }
    clerks = {}
    for desk, group_name in desks.items():
        group = Group.objects.get(name=group_name)
        clerks[desk] = []
        for number in range(1, threads + 1):
            user, _ = User.objects.get_or_create(
                username=f"bench-{desk}-{number}", defaults={"is_staff": True}
            )
            user.groups.set([group])
            clerks[desk].append(user)
    manager, _ = User.objects.get_or_create(username="bench-blanks", defaults={"is_staff": True})
    manager.groups.set([Group.objects.get(name=BLANKS)])
    clerks["blanks"] = [manager]
    return clerks


@dataclass
class PrintPlan:
    """Who prints what on which blank, the deliberate collisions and the spares."""

    stations: list[Location]
    station_of: list[int]  # clerk → station index
    attempts: list[list[tuple[int, str, str | None]]]  # per clerk: (application, blank, fallback)
    spares: list[deque]  # per station
    same_application: int = 0
    same_blank: int = 0
    blanks: int = 0

    def by_application(self) -> "PrintPlan":
        """This round's plan: applications are numbered in submission order, not in resident
        order, so the plan, drawn up by resident, is translated once they exist; the spares are
        all there again."""
        application_of = dict(CardApplication.objects.values_list("resident_id", "pk"))
        return dataclasses.replace(
            self,
            attempts=[
                [(application_of[resident], serial, fallback) for resident, serial, fallback in a]
                for a in self.attempts
            ],
            spares=[deque(pool) for pool in self.spares],
        )


def print_plan(applications: list[int], threads: int, stations: int, collide: float) -> PrintPlan:
    """Each clerk prints their share of the cards, each card on its own blank; clerks at one
    station are in a ring, and each has three sets of --collide of their cards:
      twice   the clerk before them in the ring prints the same card on the same blank too;
      lent    the clerk before them scans this blank for one of their own cards;
      borrow  this clerk first scans the next clerk's lent blank, then their own.
    Either way exactly one of the two is refused; a clerk whose blank was taken uses a spare.
    """
    stations = max(1, min(stations, threads))
    station_of = [i % stations for i in range(threads)]
    work = [applications[i::threads] for i in range(threads)]
    serials: list[list[str]] = [[] for _ in range(threads)]
    spares: list[list[str]] = [[] for _ in range(stations)]
    twice: list[list[int]] = [[] for _ in range(threads)]
    lent: list[list[int]] = [[] for _ in range(threads)]
    borrow: list[list[int]] = [[] for _ in range(threads)]
    rng = random.Random(11)
    ring = {s: [i for i in range(threads) if station_of[i] == s] for s in range(stations)}
    number = 0

    def next_serial() -> str:
        nonlocal number
        number += 1
        return f"{SERIAL_PREFIX}{number:07d}"

    # Serials are numbered station by station: each station gets one contiguous share.
    for s, clerks in ring.items():
        for i in clerks:
            serials[i] = [next_serial() for _ in work[i]]
            if len(clerks) > 1:
                k = int(len(work[i]) * collide)
                picked = rng.sample(range(len(work[i])), 3 * k)
                twice[i], lent[i], borrow[i] = picked[:k], picked[k : 2 * k], picked[2 * k :]
                spares[s] += [next_serial() for _ in range(k)]

    attempts: list[list[tuple[int, str, str | None]]] = []
    same_application = same_blank = 0
    for i in range(threads):
        clerks = ring[station_of[i]]
        mine = {j: (work[i][j], serials[i][j], None) for j in range(len(work[i]))}
        extra = []
        if len(clerks) > 1:
            after = clerks[(clerks.index(i) + 1) % len(clerks)]
            extra = [(work[after][j], serials[after][j], None) for j in twice[after]]
            for j, theirs in zip(borrow[i], lent[after], strict=False):
                mine[j] = (work[i][j], serials[after][theirs], serials[i][j])
                same_blank += 1
            same_application += len(extra)
        planned = list(mine.values()) + extra
        rng.shuffle(planned)
        attempts.append(planned)

    locations = [
        Location.objects.create(kind=LocationKind.PRINTER, name=f"Mesin Cetak Bench {s + 1}")
        for s in range(stations)
    ]
    return PrintPlan(
        stations=locations,
        station_of=station_of,
        attempts=attempts,
        spares=[deque(pool) for pool in spares],
        same_application=same_application,
        same_blank=same_blank,
        blanks=number,
    )


def blanks_receive(plan: PrintPlan, manager, store: Location) -> float:
    """Receive the plan's blanks into the store and move them to the stations; the seconds."""
    started = time.perf_counter()
    receipt_create(
        received_on=timezone.localdate(),
        source="apbn",
        reference="BENCH-LIFECYCLE",
        quantity=plan.blanks,
        serials=f"{SERIAL_PREFIX}{1:07d}-{SERIAL_PREFIX}{plan.blanks:07d}",
        location=store,
        actor=manager,
        large_confirmed=True,
    )
    by_station: dict[int, list[str]] = {}
    for i, attempts in enumerate(plan.attempts):
        for _, serial, fallback in attempts:
            for s in (serial, fallback):
                if s:
                    by_station.setdefault(plan.station_of[i], []).append(s)
    for s, pool in enumerate(plan.spares):
        by_station.setdefault(s, []).extend(pool)
    for s, share in by_station.items():
        blanks_transfer(
            serials=sorted(set(share)),
            from_location=store,
            to_location=plan.stations[s],
            actor=manager,
            reference="BENCH-LIFECYCLE",
        )
    return time.perf_counter() - started


# Running a desk -----------------------------------------------------------------------------


@dataclass
class Step:
    name: str
    transitions: int = 0
    cpu: float = 0.0  # this process's CPU seconds, all threads (PostgreSQL's not included)
    calls: int = 0
    queries: int | None = None
    tally: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


class Desk:
    """One thread per clerk. ``ready()`` starts them: each calls ``prepare(clerk, job)`` to load
    their items and waits. ``run()`` lets all clerks go at once, each calling
    ``act(clerk, item, tally)`` per item (it returns the transitions made), and waits for them.

    A ValidationError is an error here unless ``act`` expects and handles it itself.
    """

    def __init__(self, name: str, jobs: list, prepare, act):
        self.step = Step(name)
        self.prepare, self.act = prepare, act
        self.lock = threading.Lock()
        self.prepared = threading.Barrier(len(jobs) + 1)
        self.go = threading.Event()
        self.workers = [threading.Thread(target=self.clerk, args=ij) for ij in enumerate(jobs)]

    def ready(self) -> None:
        for worker in self.workers:
            worker.start()
        try:
            self.prepared.wait()
        except threading.BrokenBarrierError:
            self.step.errors.append("a clerk could not start")

    def run(self) -> Step:
        cpu = time.process_time()
        self.go.set()
        for worker in self.workers:
            worker.join()
        self.step.cpu = time.process_time() - cpu
        self.step.transitions = self.step.tally.pop("transitions", 0)
        return self.step

    def clerk(self, index, job):
        tally, errors, calls, queries = Counter(), [], 0, None
        try:
            items = self.prepare(index, job)
            self.prepared.wait()
            self.go.wait()
            # The second call is measured: the first also loads the clerk's permissions.
            measured = min(1, len(items) - 1) if index == 0 else -1
            for position, item in enumerate(items):
                try:
                    if position == measured:
                        with CaptureQueriesContext(connection) as captured:
                            tally["transitions"] += self.act(index, item, tally)
                        queries = len(captured)
                    else:
                        tally["transitions"] += self.act(index, item, tally)
                except Exception as exc:  # deadlocks or refusals are what the audit is for
                    errors.append(f"{type(exc).__name__}: {exc}")
                calls += 1
        except threading.BrokenBarrierError:
            pass
        except Exception:
            errors.append(traceback.format_exc(limit=3))
            self.prepared.abort()
        finally:
            connection.close()
            with self.lock:
                self.step.tally.update(tally)
                self.step.errors += errors
                self.step.calls += calls
                if queries is not None:
                    self.step.queries = queries


def _applications(pks: list[int]) -> list[CardApplication]:
    found = CardApplication.objects.in_bulk(pks)
    return [found[pk] for pk in pks]


def _split(items: list, threads: int) -> list[list]:
    return [items[i::threads] for i in range(threads)]


def _pks(status: str) -> list[int]:
    return list(
        CardApplication.objects.filter(status=status).order_by("pk").values_list("pk", flat=True)
    )


def step_submit(applicants: list[int], clerks) -> Desk:
    def prepare(i, pks):
        found = Resident.objects.in_bulk(pks)
        return [found[pk] for pk in pks]

    def act(i, resident, tally):
        application_submit(
            resident=resident,
            kind=KIND,
            actor=clerks[i],
            applicant_present=True,
            documents_present=REQUIRED_DOCUMENTS[KIND],
            phone=resident.phone,
        )
        return 1

    return Desk("submit", _split(applicants, len(clerks)), prepare, act)


def step_verify(clerks) -> Desk:
    def act(i, application, tally):
        application = berkas_check(
            application=application,
            verified_kinds=REQUIRED_DOCUMENTS[application.kind],
            actor=clerks[i],
        )
        if application.status != S.VERIFIED:
            raise RuntimeError(f"{application} is still {application.status} after the berkas")
        return 1

    jobs = _split(_pks(S.SUBMITTED), len(clerks))
    return Desk("verify", jobs, lambda i, pks: _applications(pks), act)


def step_record(clerks) -> Desk:
    def act(i, application, tally):
        application_record(application=application, actor=clerks[i])
        return 1

    jobs = _split(_pks(S.VERIFIED), len(clerks))
    return Desk("record", jobs, lambda i, pks: _applications(pks), act)


def step_central_results(clerks, sheet_rows: int) -> Desk:
    niks = list(
        CardApplication.objects.filter(status=S.RECORDED)
        .order_by("pk")
        .values_list("resident__nik", flat=True)
    )
    sheets = [
        Table(
            headers=["NIK", "STATUS"],
            rows=[[nik, "PRR"] for nik in niks[start : start + sheet_rows]],
            row_numbers=list(range(2, 2 + len(niks[start : start + sheet_rows]))),
        )
        for start in range(0, len(niks), sheet_rows)
    ]

    def act(i, table, tally):
        report = central_results_import(table=table, actor=clerks[i])
        if not report.applied:
            raise RuntimeError(f"sheet refused: {'; '.join(map(str, report.problems[:3]))}")
        tally["sheets"] += 1
        return sum(report.outcome.values())

    return Desk("PRR", _split(sheets, len(clerks)), lambda i, job: job, act)


def step_print(plan: PrintPlan, clerks) -> Desk:
    def prepare(i, attempts):
        found = CardApplication.objects.in_bulk([pk for pk, _, _ in attempts])
        return [(found[pk], serial, fallback) for pk, serial, fallback in attempts]

    def act(i, attempt, tally):
        application, serial, fallback = attempt
        station = plan.stations[plan.station_of[i]]
        while True:
            try:
                card_print(
                    application=application,
                    blank_serial=serial,
                    station=station,
                    operator=clerks[i],
                )
                return 1
            except ValidationError:
                tally["refused"] += 1
            status = CardApplication.objects.values_list("status", flat=True).get(pk=application.pk)
            if status != S.PRINT_READY:
                return 0  # a colleague printed this card
            # The blank went into a colleague's card: take the next one.
            serial, fallback = fallback or plan.spares[plan.station_of[i]].popleft(), None
            tally["retried"] += 1

    return Desk("print", plan.attempts, prepare, act)


def step_hand_over(clerks) -> Desk:
    def act(i, application, tally):
        card_hand_over(
            application=application,
            actor=clerks[i],
            verification_method=METHODS[application.pk % len(METHODS)],
        )
        return 1

    jobs = _split(_pks(S.PRINTED), len(clerks))
    return Desk("hand over", jobs, lambda i, pks: _applications(pks), act)


# Reporting ----------------------------------------------------------------------------------


def steps_print(timings: dict[str, Timings], rounds: dict[str, list[Step]], threads: int) -> None:
    """Medians over the measured runs; transitions, calls and queries are those of one round."""
    print(f"\n{threads} clerks per desk, {load_average()}:")
    print(
        f"  {'step':<10} {'transitions':>11} {'seconds':>8} {'transitions/s':>14} "
        f"{'ms/call/clerk':>14} {'queries/call':>13} {'py CPU ms/call':>15} {'py CPU':>7}  spread"
    )
    for name, taken in timings.items():
        step = rounds[name][-1]
        cpu = statistics.median(s.cpu for s in rounds[name][-len(taken.seconds) :])
        per_call = 1000 * taken.median * threads / step.calls if step.calls else 0
        queries = "" if step.queries is None else f"{step.queries}"
        print(
            f"  {name:<10} {step.transitions:>11,} {taken.median:>8.1f} "
            f"{step.transitions / taken.median:>14,.0f} {per_call:>14.1f} {queries:>13} "
            f"{1000 * cpu / max(step.calls, 1):>15.1f} {cpu / taken.median:>7.0%}  "
            f"{taken.spread()}"
        )
    prr = rounds["PRR"][-1]
    print(
        f"  (PRR: {prr.tally['sheets']} sheets; a call is one sheet, "
        f"{prr.transitions / max(prr.calls, 1):,.0f} rows)"
    )
    total = sum(steps[-1].transitions for steps in rounds.values())
    seconds = sum(taken.median for taken in timings.values())
    print(f"  {'all':<10} {total:>11,} {seconds:>8.1f} {total / seconds:>14,.0f}")


def audit(rounds: dict[str, list[Step]], plan: PrintPlan, count: int) -> bool:
    """``rounds``: each step's runs, warm-up included; the database is as the last round left it."""
    lines: list[tuple[bool, str, list[str]]] = []

    def check(ok: bool, text: str, details: list[str] = ()) -> None:
        lines.append((ok, text, list(details)))

    for name, steps in rounds.items():
        moved = [step.transitions for step in steps]
        check(
            all(n == count for n in moved),
            f"{name}: {', '.join(f'{n:,}' for n in moved)} of {count:,} applications moved "
            f"in each of {len(moved)} rounds",
        )
    errors = [e for steps in rounds.values() for s in steps for e in s.errors]
    check(
        not errors,
        f"errors (deadlocks, refusals outside the collisions): {len(errors):,}",
        [" ".join(e.split())[:300] for e in errors[:5]],
    )

    refused = [step.tally["refused"] for step in rounds["print"]]
    collisions = plan.same_application + plan.same_blank
    check(
        all(n == collisions for n in refused),
        f"print collisions refused: {', '.join(f'{n:,}' for n in refused)} of {collisions:,} "
        f"({plan.same_application:,} on the same application, {plan.same_blank:,} on the same "
        f"blank; {rounds['print'][-1].tally['retried']:,} printed again on another blank)",
    )

    issued = CardApplication.objects.filter(status=S.ISSUED)
    issued_count = issued.count()
    without_blank = issued.filter(blank__isnull=True).count()
    blank_not_used = issued.exclude(blank__status=BlankStatus.USED).count()
    check(
        issued_count == count and not without_blank and not blank_not_used,
        f"issued cards: {issued_count:,}; without a blank {without_blank:,}, "
        f"on a blank not marked used {blank_not_used:,}",
    )

    used = Blank.objects.filter(status=BlankStatus.USED)
    used_count = used.count()
    not_one_card = used.annotate(cards=Count("card_application")).exclude(cards=1).count()
    used_twice = blanks_used_twice()
    check(
        used_count == issued_count and not not_one_card and not used_twice,
        f"used blanks: {used_count:,}; not in exactly one card {not_one_card:,}, "
        f"used twice in the ledger {used_twice:,}",
    )

    transitions = sum(steps[-1].transitions for steps in rounds.values())
    events = ApplicationEvent.objects.count()
    by_status = dict(
        ApplicationEvent.objects.values_list("to_status").annotate(n=Count("pk")).order_by()
    )
    uneven = {k: v for k, v in by_status.items() if v != count}
    check(
        events == transitions == 6 * count and not uneven,
        f"events {events:,} == transitions {transitions:,} of the last round "
        "(submitted + 5 moves each)" + (f"; uneven per status: {uneven}" if uneven else ""),
    )

    unexpected = dict(
        CardApplication.objects.exclude(status=S.ISSUED)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    check(not unexpected, f"applications in an unexpected status: {unexpected or 'none'}")

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("stock_verify", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    said = " ".join((out.getvalue() + err.getvalue()).split())
    check(code == 0, f"stock_verify (exit {code}): {said[:300]}")

    print("\nAudit:")
    for ok, text, details in lines:
        print(f"  {'OK  ' if ok else 'FAIL'}  {text}")
        for detail in details:
            print(f"          {detail}")
    ok = all(ok for ok, _, _ in lines)
    print(f"  verdict: {'OK' if ok else 'FAIL'}")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--applications", type=int, default=40_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--stations", type=int, default=4, help="printer stations")
    parser.add_argument("--sheet-rows", type=int, default=2_000, help="rows per PRR sheet")
    parser.add_argument(
        "--collide", type=float, default=0.01, help="share of each clerk's cards in collisions"
    )
    args = parser.parse_args()

    empty_tables(
        "registry_historicalresident", "registry_resident", "stock_location", *ROUND_TABLES
    )
    register_seed(args.residents)
    applicants = applicants_pick(args.applications)
    clerks = clerks_create(args.threads)
    plan = print_plan(applicants, args.threads, args.stations, args.collide)
    store = Location.objects.create(kind=LocationKind.STORE, name="Gudang Bench")

    receiving: list[float] = []
    this_round = plan
    desks = {
        "submit": lambda: step_submit(applicants, clerks["registration"]),
        "verify": lambda: step_verify(clerks["registration"]),
        "record": lambda: step_record(clerks["recording"]),
        "PRR": lambda: step_central_results(clerks["recording"], args.sheet_rows),
        "print": lambda: step_print(this_round, clerks["printing"]),
        "hand over": lambda: step_hand_over(clerks["handover"]),
    }
    waiting: dict[str, Desk] = {}
    rounds: dict[str, list[Step]] = {name: [] for name in desks}

    def desk_ready(name: str) -> None:
        nonlocal this_round
        if name == "submit":
            empty_tables(*ROUND_TABLES)
            receiving.append(blanks_receive(plan, clerks["blanks"][0], store))
        elif name == "print":
            this_round = plan.by_application()
        # Untimed: autovacuum would have caught up with the new rows in a day's work.
        analyze()
        waiting[name] = desks[name]()
        waiting[name].ready()

    def desk_run(name: str) -> None:
        rounds[name].append(waiting.pop(name).run())

    timings = interleaved(
        {name: functools.partial(desk_run, name) for name in desks}, before_each=desk_ready
    )
    print(
        f"Blanks: {plan.blanks:,} received and moved to {len(plan.stations)} printer stations "
        f"before each round in {statistics.median(receiving):.1f} s, untimed "
        f"({sum(len(pool) for pool in plan.spares):,} spares for blanks a colleague takes)"
    )
    steps_print(timings, rounds, args.threads)
    ok = audit(rounds, plan, args.applications)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
