"""A day of the queue: desks calling and kiosks issuing at once, the display polling.

    createdb -h 127.0.0.1 -U root dukcapil_bench_que
    DATABASE_URL=postgres://root@127.0.0.1:5432/dukcapil_bench_que \
        .venv/bin/python bench/queue.py --tickets 3000

EMPTIES THE QUEUE TABLES of the database it runs on: use a benchmark database.

--kiosks threads (4) issue --tickets numbers (3,000) between them, each its own connection,
for registration, handover and consultation. --desks threads (8: three registration, two
recording, two handover, one consultation) call the next ticket, hold it --hold-ms (a
resident at the desk), and serve it; one registration ticket in two is transferred to
recording instead, one call in twenty is recalled, and a ticket called the set number of
times is skipped. A display thread asks the real JSON endpoint every --poll-ms.

One warm-up day, then three days (``bench/_measure.py``), the tables emptied before each.
Prints the median time of a day with its spread and the load average; calls/s; the largest
delay between a call's commit and the endpoint first showing it (a real display adds up to its
one-second poll); then the audit of the last day: no ticket called twice at once, strict order
per service (no ticket called while an older one of its service was visibly waiting and not
being called; skips aside), no number twice; exit 1 unless OK.
"""

import argparse
import random
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

# This file shares its name with the standard library's queue, which threading and Django
# import: look in bench/ last, after the standard library.
BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH] + [str(BENCH)]
from _measure import interleaved, load_average  # noqa: E402
from _setup import django_on_postgres  # noqa: E402

django_on_postgres()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from registry.models import (  # noqa: E402
    KIOSK_SERVICES,
    OPEN_TICKET_STATUSES,
    QueueTicket,
    ServiceDesk,
    TicketEvent,
    TicketService,
)
from registry.services.tickets import (  # noqa: E402
    ticket_call_next,
    ticket_issue,
    ticket_recall,
    ticket_serve,
    ticket_skip,
    ticket_transfer,
)

A, B, C, D = (
    TicketService.REGISTRATION,
    TicketService.RECORDING,
    TicketService.HANDOVER,
    TicketService.CONSULTATION,
)
DESK_SERVICES = [A, A, A, B, B, C, C, D]


def queue_empty() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE registry_ticketevent, registry_queueticket, registry_ticketcounter, "
            "registry_servicedesk RESTART IDENTITY CASCADE"
        )
    cache.clear()


def cast() -> tuple:
    user, _ = get_user_model().objects.get_or_create(
        username="bench-loket", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name="Petugas Pendaftaran"))
    return get_user_model().objects.get(pk=user.pk)


class Day:
    """One simulated day: the threads, and what each saw and when (time.time())."""

    def __init__(self, args, clerk):
        self.args, self.clerk = args, clerk
        self.lock = threading.Lock()
        self.entered: dict[tuple[int, str], float] = {}  # (ticket, service) → commit
        self.called: dict[int, tuple[float, float]] = {}  # call event id → (asked, commit)
        self.shown: dict[str, float] = {}  # display key → first seen
        self.keys: dict[str, float] = {}  # display key → commit of its call
        self.errors: list[str] = []
        self.kiosks_done = threading.Event()
        self.desks_done = threading.Event()
        self.calls = 0

    def run(self) -> None:
        desks = [
            ServiceDesk.objects.create(number=n, service=s)
            for n, s in enumerate(DESK_SERVICES[: self.args.desks], start=1)
        ]
        per_kiosk = self.args.tickets // self.args.kiosks
        workers = [
            threading.Thread(target=self._guard, args=(self.kiosk, k, per_kiosk))
            for k in range(self.args.kiosks)
        ]
        workers += [threading.Thread(target=self._guard, args=(self.desk, d)) for d in desks]
        display = threading.Thread(target=self._guard, args=(self.display,))
        display.start()
        for worker in workers:
            worker.start()
        for worker in workers[: self.args.kiosks]:
            worker.join()
        self.kiosks_done.set()
        for worker in workers[self.args.kiosks :]:
            worker.join()
        self.desks_done.set()
        display.join()

    def _guard(self, work, *args) -> None:
        try:
            work(*args)
        except Exception as exc:  # a deadlock or anything unexpected is the point of the audit
            with self.lock:
                self.errors.append(repr(exc))
        finally:
            connection.close()

    def kiosk(self, number: int, count: int) -> None:
        rng = random.Random(number)
        for _ in range(count):
            ticket = ticket_issue(service=rng.choice(KIOSK_SERVICES), address=f"kios-{number}")
            self.entered[(ticket.pk, ticket.service)] = time.time()

    def desk(self, desk: ServiceDesk) -> None:
        rng = random.Random(desk.number)
        hold = self.args.hold_ms / 1000
        skip_after = settings.DUKCAPIL_TICKET_SKIP_AFTER_CALLS
        while True:
            asked = time.time()
            ticket = ticket_call_next(desk=desk, actor=self.clerk)
            if ticket is None:
                if self.kiosks_done.is_set() and self._nothing_more_for(desk.service):
                    return
                time.sleep(0.005)
                continue
            self._called(ticket, asked)
            time.sleep(hold)
            roll = rng.random()
            if roll < 0.05:
                for _ in range(skip_after - 1):
                    asked = time.time()
                    recalled = ticket_recall(desk=desk, ticket=ticket.pk, actor=self.clerk)
                    self._called(recalled, asked)
                ticket_skip(desk=desk, ticket=ticket.pk, actor=self.clerk)
            elif desk.service == A and roll < 0.5:
                ticket_transfer(desk=desk, ticket=ticket.pk, service=B, actor=self.clerk)
                self.entered[(ticket.pk, B)] = time.time()
            else:
                ticket_serve(desk=desk, ticket=ticket.pk, actor=self.clerk)

    @staticmethod
    def _nothing_more_for(service: str) -> bool:
        """Nobody waits for ``service``, and no one will: recording is fed by transfers from
        registration, so it waits until registration has no ticket open (checked first)."""
        if (
            service == B
            and QueueTicket.objects.filter(service=A, status__in=OPEN_TICKET_STATUSES).exists()
        ):
            return False
        return not QueueTicket.objects.filter(service=service, status="waiting").exists()

    def _called(self, ticket: QueueTicket, asked: float) -> None:
        now = time.time()
        key = f"{ticket.pk}.{ticket.service}.{ticket.calls}"
        event = ticket.events.order_by("-id").values_list("pk", flat=True).first()
        with self.lock:
            self.calls += 1
            self.called[event] = (asked, now)
            self.keys[key] = now

    def display(self) -> None:
        client = Client(SERVER_NAME="localhost")
        while not self.desks_done.is_set():
            board = client.get("/antrean/layar/data.json").json()
            seen = time.time()
            for call in board["desks"] + board["calls"]:
                self.shown.setdefault(call["key"], seen)
            time.sleep(self.args.poll_ms / 1000)

    def display_delays(self) -> list[float]:
        return [self.shown[k] - at for k, at in self.keys.items() if k in self.shown]


def audit(day: Day) -> list[str]:
    problems = []
    twice = (
        QueueTicket.objects.values("day", "prefix", "number")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    if twice:
        problems.append(f"{twice} numbers issued twice")
    for prefix, count in QueueTicket.objects.values_list("prefix").annotate(n=Count("id")):
        numbers = set(QueueTicket.objects.filter(prefix=prefix).values_list("number", flat=True))
        if numbers != set(range(1, count + 1)):
            problems.append(f"{prefix}: numbers are not 1…{count}")
    events = defaultdict(list)
    for event in TicketEvent.objects.order_by("at", "id").values(
        "id", "ticket_id", "kind", "service", "at", "ticket__issued_at"
    ):
        events[event["ticket_id"]].append(event)
    calls_by_service = defaultdict(list)  # service → (issued_at, ticket, asked, commit)
    for ticket, history in events.items():
        open_call = False
        for event in history:
            if event["kind"] == "call":
                if open_call:
                    problems.append(f"ticket {ticket} called again while called")
                open_call = True
                asked, commit = day.called[event["id"]]
                calls_by_service[event["service"]].append(
                    (event["ticket__issued_at"], ticket, asked, commit)
                )
            elif event["kind"] in ("serve", "skip", "transfer"):
                open_call = False
    overtaken = 0
    for service, calls in calls_by_service.items():
        calls.sort()
        # T' older than T, in the queue (committed) before T's desk asked, yet its own desk
        # asked only after T's call had committed: T' was waiting, unlocked, and passed over.
        for i, (_, _ticket, asked, commit) in enumerate(calls):
            for _, older, older_asked, _ in calls[:i]:
                if day.entered[(older, service)] < asked and older_asked > commit:
                    overtaken += 1
    if overtaken:
        problems.append(f"{overtaken} calls passed over an older waiting ticket")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=3_000)
    parser.add_argument("--kiosks", type=int, default=4)
    parser.add_argument("--desks", type=int, default=8, choices=range(1, 9))
    parser.add_argument("--hold-ms", type=float, default=20.0)
    parser.add_argument("--poll-ms", type=float, default=50.0)
    args = parser.parse_args()
    settings.DUKCAPIL_KIOSK_TICKETS_PER_HOUR = args.tickets  # the bench is not a flood
    clerk = cast()
    days: list[Day] = []

    def one_day():
        day = Day(args, clerk)
        day.run()
        days.append(day)
        return day

    timings = interleaved({"day": one_day}, before_each=lambda _: queue_empty())
    day = timings["day"].result
    calls = [d.calls / s for d, s in zip(days[-3:], timings["day"].seconds, strict=True)]
    delays = [max(d.display_delays(), default=0.0) for d in days[-3:]]
    shown = sum(len(d.display_delays()) for d in days[-3:])
    print(
        f"{args.tickets} tickets, {args.kiosks} kiosks, {args.desks} desks, hold {args.hold_ms} ms"
    )
    print(
        f"day: median {timings['day'].median:.2f} s ({timings['day'].spread()}); {load_average()}"
    )
    print(f"calls/s: median {sorted(calls)[1]:.1f} (runs: {', '.join(f'{c:.1f}' for c in calls)})")
    print(
        f"largest display delay (commit → endpoint shows it, polled every {args.poll_ms} ms): "
        f"median of runs {sorted(delays)[1] * 1000:.0f} ms, worst {max(delays) * 1000:.0f} ms "
        f"over {shown} calls seen"
    )
    errors = [e for d in days for e in d.errors]
    problems = audit(day) + [f"error: {e}" for e in errors[:5]]
    outcome = Counter(QueueTicket.objects.values_list("status", flat=True))
    print(f"last day: {dict(outcome)}; {TicketEvent.objects.count()} events")
    print("audit: " + ("OK" if not problems else "; ".join(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
