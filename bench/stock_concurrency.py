"""Blank stock under many printer operators at once, and the speed of a big receipt.

    DATABASE_URL=postgres://root@127.0.0.1:5432/dukcapil_bench \
        .venv/bin/python bench/stock_concurrency.py --threads 8

EMPTIES THE STOCK TABLES of the database it runs on: use a benchmark database.

1. Receipt of --receipt-serials (100,000) serials through receipt_create (COPY), against the
   same rows written with Django's bulk_create (rolled back).
2. --threads operator threads consume blanks by serial at --stations shared printer stations;
   --collide of each thread's serials are also asked for by another thread at the same moment.
   Prints consumptions/s, collisions refused, and the audit: blanks used twice, negative stock,
   ledger == statuses.
"""

import argparse
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on_postgres

django_on_postgres()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from stock.models import Blank, BlankStatus, Location, Movement, MovementKind  # noqa: E402
from stock.selectors import ledger_balances, stock_disagreements  # noqa: E402
from stock.serials import serial_range  # noqa: E402
from stock.services import blank_consume, blanks_transfer, receipt_create  # noqa: E402


def empty_stock() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE stock_movement, stock_blank, stock_receipt, stock_destruction, "
            "stock_dailyclosing, stock_location, stock_budgetline RESTART IDENTITY CASCADE"
        )


def bench_receipt(count: int, actor, store) -> None:
    serials = f"BIG{1:07d}–BIG{count:07d}"
    started = time.perf_counter()
    receipt_create(
        received_on=timezone.localdate(),
        source="apbn",
        reference="BENCH-BESAR",
        quantity=count,
        serials=serials,
        location=store,
        actor=actor,
        large_confirmed=True,
    )
    ours = time.perf_counter() - started

    # Baseline: the same blanks and ledger rows through bulk_create, then rolled back.
    started = time.perf_counter()
    with transaction.atomic():
        receipt = receipt_create(
            received_on=timezone.localdate(),
            source="apbn",
            reference="BENCH-BASELINE",
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
        baseline = time.perf_counter() - started
        transaction.set_rollback(True)
    print(f"Receipt of {count:,} serials (blanks + ledger rows, one transaction):")
    print(f"  receipt_create (COPY)  {ours:7.2f} s  {count / ours:>10,.0f} blanks/s")
    print(f"  bulk_create baseline   {baseline:7.2f} s  {count / baseline:>10,.0f} blanks/s")
    print(f"  speed-up               {baseline / ours:7.1f}×\n")


def bench_consumption(threads: int, per_thread: int, stations: int, collide: float, actor, store):
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

    outcomes = Counter()
    errors = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def operator(mine):
        done = Counter()
        try:
            barrier.wait()
            for serial in mine:
                try:
                    blank_consume(
                        serial=serial, location=station_of[serial], actor=actor, reference="BENCH"
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

    started = time.perf_counter()
    workers = [threading.Thread(target=operator, args=(w,)) for w in work]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started

    attempts = sum(len(w) for w in work)
    used_twice = (
        Movement.objects.filter(kind=MovementKind.USE)
        .values("blank")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    negative = sum(1 for n in ledger_balances().values() if n < 0)
    totals, mismatched = stock_disagreements()
    print(
        f"{threads} threads, {stations} stations, "
        f"{attempts:,} attempts ({asked_twice:,} collisions):"
    )
    print(f"  consumed               {outcomes['used']:>8,}  ({outcomes['used'] / seconds:,.0f}/s)")
    print(f"  collisions refused     {outcomes['refused']:>8,}  (expected {asked_twice:,})")
    print(f"  errors                 {len(errors):>8,}  {errors[:3] if errors else ''}")
    print("Audit:")
    print(f"  blanks used twice      {used_twice:>8,}")
    print(f"  negative stock cells   {negative:>8,}")
    print(f"  ledger == statuses     {'ya' if not totals and not mismatched else 'TIDAK'}")
    ok = (
        not errors
        and not used_twice
        and not negative
        and not totals
        and not mismatched
        and outcomes["used"] == total
        and outcomes["refused"] == asked_twice
    )
    print(f"  verdict                {'OK' if ok else 'GAGAL'}\n")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--per-thread", type=int, default=500)
    parser.add_argument("--stations", type=int, default=3)
    parser.add_argument("--collide", type=float, default=0.1)
    parser.add_argument("--receipt-serials", type=int, default=100_000)
    args = parser.parse_args()

    empty_stock()
    actor, _ = get_user_model().objects.get_or_create(username="bench-pengelola")
    # The services check the actor's permissions: the blank keeper receives, moves and (for the
    # bench) uses blanks.
    actor.groups.set([Group.objects.get(name="Pengelola Blanko")])
    actor = get_user_model().objects.get(pk=actor.pk)  # fresh permission cache
    store = Location.objects.create(kind="gudang", name="Gudang Bench")
    if args.receipt_serials:
        bench_receipt(args.receipt_serials, actor, store)
    ok = bench_consumption(args.threads, args.per_thread, args.stations, args.collide, actor, store)
    empty_stock()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
