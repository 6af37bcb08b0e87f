"""Blank stock under many printer operators at once, and the speed of a big receipt.

    DATABASE_URL=postgres://root@127.0.0.1:5432/dukcapil_bench \
        .venv/bin/python bench/stock_concurrency.py --threads 8

EMPTIES THE STOCK TABLES of the database it runs on: use a benchmark database.

1. Receipt of --receipt-serials (100,000) serials through receipt_create (COPY), against the
   same rows written with Django's bulk_create (rolled back).
2. --threads operator threads consume blanks by serial at --stations shared printer stations;
   --collide of each thread's serials are also asked for by another thread at the same moment.

The three paths (COPY receipt, bulk_create baseline, consumption) run once each as a warm-up,
then three times interleaved (``bench/_measure.py``); the stock tables are emptied before every
run, and the consumption's blanks are received and moved to the stations then, untimed. Prints
per path the median time with its spread and the load average; blanks/s and the speed-up for
the receipt; consumptions/s, collisions refused and errors over every run of the consumption;
then the audit of the stock the last consumption left: blanks used twice, negative stock,
ledger == statuses, and a verdict (exit 1 unless OK). Takes about four minutes.
"""

import argparse
import random
import sys
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# The project, not bench/, first on the path: bench/queue.py must not stand in for the stdlib's.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
from bench._measure import interleaved, load_average  # noqa: E402
from bench._setup import django_on_postgres  # noqa: E402

django_on_postgres()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from stock.models import Blank, BlankStatus, Location, Movement, MovementKind  # noqa: E402
from stock.selectors import blanks_used_twice, ledger_balances, stock_disagreements  # noqa: E402
from stock.serials import serial_range  # noqa: E402
from stock.services import blank_consume, blanks_transfer, receipt_create  # noqa: E402


def empty_stock() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE stock_movement, stock_blank, stock_receipt, stock_destruction, "
            "stock_dailyclosing, stock_location, stock_budgetline RESTART IDENTITY CASCADE"
        )


def store_create() -> Location:
    """An empty stock: nothing but the store that receipts go to."""
    empty_stock()
    return Location.objects.create(kind="gudang", name="Gudang Bench")


def receipt_copy(count: int, actor, store) -> None:
    receipt_create(
        received_on=timezone.localdate(),
        source="apbn",
        reference="BENCH-BESAR",
        quantity=count,
        serials=f"BIG{1:07d}–BIG{count:07d}",
        location=store,
        actor=actor,
        large_confirmed=True,
    )


def receipt_bulk_create(count: int, actor, store) -> None:
    """Baseline: the same blanks and ledger rows through bulk_create, then rolled back."""
    with transaction.atomic():
        receipt = receipt_create(
            received_on=timezone.localdate(),
            source="apbn",
            reference="BENCH-BASELINE",
            quantity=1,
            serials=["BASE0000001"],
            location=store,
            actor=actor,
        )
        now = timezone.now()
        blanks = Blank.objects.bulk_create(
            [
                Blank(serial=s, receipt=receipt, location=store)
                for s in serial_range(f"BAS{1:07d}-BAS{count:07d}")
            ],
            batch_size=2000,
        )
        Movement.objects.bulk_create(
            [
                Movement(
                    kind=MovementKind.RECEIVE,
                    blank=b,
                    to_location=store,
                    to_status=BlankStatus.IN_STOCK,
                    actor=actor,
                    at=now,
                )
                for b in blanks
            ],
            batch_size=2000,
        )
        transaction.set_rollback(True)


@dataclass
class Consumption:
    """The operators' work: each thread's serials (collisions included) and each blank's station."""

    work: list[list[str]]
    station_of: dict[str, Location]
    total: int
    asked_twice: int


def consumption_prepare(threads, per_thread, stations, collide, actor, store) -> Consumption:
    """Receive the blanks and move them to the stations; deal the serials out to the threads."""
    printers = [
        Location.objects.create(kind="printer", name=f"Mesin Bench {i + 1}")
        for i in range(stations)
    ]
    total = threads * per_thread
    receipt_create(
        received_on=timezone.localdate(),
        source="apbn",
        reference="BENCH-KONSUMSI",
        quantity=total,
        serials=f"KTP{1:07d}-KTP{total:07d}",
        location=store,
        actor=actor,
        large_confirmed=True,
    )
    serials = serial_range(f"KTP{1:07d}-KTP{total:07d}")
    station_of = {}
    for index, printer in enumerate(printers):
        share = serials[index::stations]
        blanks_transfer(serials=share, from_location=store, to_location=printer, actor=actor)
        station_of.update(dict.fromkeys(share, printer))

    rng = random.Random(7)
    work = [serials[i * per_thread : (i + 1) * per_thread] for i in range(threads)]
    # Deliberate collisions: some serials of each thread are also asked for by the next one.
    asked_twice = 0
    for i in range(threads):
        stolen = rng.sample(work[(i + 1) % threads], int(per_thread * collide))
        asked_twice += len(stolen)
        work[i] = work[i] + stolen
        rng.shuffle(work[i])
    return Consumption(work, station_of, total, asked_twice)


def consumption_run(plan: Consumption, actor) -> tuple[Counter, list[str]]:
    """All threads at once, each consuming its serials; returns the outcomes and the errors."""
    outcomes = Counter()
    errors = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(plan.work))

    def operator(mine):
        done = Counter()
        try:
            barrier.wait()
            for serial in mine:
                try:
                    blank_consume(
                        serial=serial,
                        location=plan.station_of[serial],
                        actor=actor,
                        reference="BENCH",
                    )
                    done["used"] += 1
                except ValidationError:
                    done["refused"] += 1
        except Exception as exc:  # deadlocks or anything unexpected are the point of the audit
            errors.append(repr(exc))
        finally:
            connection.close()
            with lock:
                outcomes.update(done)

    workers = [threading.Thread(target=operator, args=(w,)) for w in plan.work]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return outcomes, errors


def stock_audit() -> bool:
    used_twice = blanks_used_twice()
    negative = sum(1 for n in ledger_balances().values() if n < 0)
    totals, mismatched = stock_disagreements()
    print("Audit (the stock the last consumption left):")
    print(f"  blanks used twice      {used_twice:>8,}")
    print(f"  negative stock cells   {negative:>8,}")
    print(f"  ledger == statuses     {'ya' if not totals and not mismatched else 'TIDAK'}")
    return not used_twice and not negative and not totals and not mismatched


def _listed(numbers: list[int]) -> str:
    return ", ".join(f"{n:,}" for n in numbers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--per-thread", type=int, default=500)
    parser.add_argument("--stations", type=int, default=3)
    parser.add_argument("--collide", type=float, default=0.1)
    parser.add_argument("--receipt-serials", type=int, default=100_000)
    args = parser.parse_args()

    store = store_create()
    actor, _ = get_user_model().objects.get_or_create(username="bench-pengelola")
    # The services check the actor's permissions: the blank keeper receives, moves and (for the
    # bench) uses blanks.
    actor.groups.set([Group.objects.get(name="Pengelola Blanko")])
    actor = get_user_model().objects.get(pk=actor.pk)  # fresh permission cache

    count = args.receipt_serials
    consumption = None
    runs: list[tuple[Counter, list[str]]] = []

    def fresh_stock(name: str) -> None:
        nonlocal store, consumption
        store = store_create()
        if name == "consume":
            consumption = consumption_prepare(
                args.threads, args.per_thread, args.stations, args.collide, actor, store
            )

    def consume():
        runs.append(consumption_run(consumption, actor))

    paths = {"consume": consume}
    if count:
        paths = {
            "receipt_create (COPY)": lambda: receipt_copy(count, actor, store),
            "bulk_create baseline": lambda: receipt_bulk_create(count, actor, store),
            **paths,
        }
    timings = interleaved(paths, before_each=fresh_stock)

    print(load_average())
    if count:
        print(f"Receipt of {count:,} serials (blanks + ledger rows, one transaction):")
        ours, baseline = timings["receipt_create (COPY)"], timings["bulk_create baseline"]
        for name in ("receipt_create (COPY)", "bulk_create baseline"):
            taken = timings[name]
            print(
                f"  {name:<22} {taken.median:7.2f} s  {count / taken.median:>10,.0f} blanks/s"
                f"  ({taken.spread()})"
            )
        print(f"  speed-up               {baseline.median / ours.median:7.1f}×\n")

    taken = timings["consume"]
    used = [outcome["used"] for outcome, _ in runs]
    refused = [outcome["refused"] for outcome, _ in runs]
    errors = [e for _, run_errors in runs for e in run_errors]
    attempts = sum(len(w) for w in consumption.work)
    print(
        f"{args.threads} threads, {args.stations} stations, "
        f"{attempts:,} attempts ({consumption.asked_twice:,} collisions), "
        f"{len(runs)} runs (warm-up included):"
    )
    print(
        f"  median                 {taken.median:7.2f} s  "
        f"{consumption.total / taken.median:>8,.0f} consumed/s  ({taken.spread()})"
    )
    print(f"  consumed per run       {_listed(used)}  (expected {consumption.total:,})")
    print(f"  collisions refused     {_listed(refused)}  (expected {consumption.asked_twice:,})")
    print(f"  errors                 {len(errors):>8,}  {errors[:3] if errors else ''}")
    ok = (
        stock_audit()
        and not errors
        and all(n == consumption.total for n in used)
        and all(n == consumption.asked_twice for n in refused)
    )
    print(f"  verdict                {'OK' if ok else 'GAGAL'}\n")
    empty_stock()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
