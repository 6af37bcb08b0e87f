"""How every benchmark measures: a warm-up, then interleaved runs, then medians.

Interleaving (A B C, A B C, A B C rather than A A A, B B B, …) spreads any drift of the machine
— another process, the page cache, autovacuum — over every path alike, so a ratio between two
paths is not an accident of which one ran first. The load average is printed beside the figures
so a reader can tell a quiet machine from a busy one.
"""

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

RUNS = 3
WARM_UP = 1


@dataclass
class Timings:
    """Seconds per run of one path, and whatever the path returned on its last run."""

    seconds: list[float] = field(default_factory=list)
    result: object = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def spread(self) -> str:
        return f"{min(self.seconds):.3f}–{max(self.seconds):.3f} s over {len(self.seconds)} runs"


def interleaved(
    paths: dict[str, Callable[[], object]],
    *,
    runs: int = RUNS,
    warm_up: int = WARM_UP,
    before_each: Callable[[str], None] | None = None,
) -> dict[str, Timings]:
    """Run each path ``warm_up`` times untimed, then ``runs`` rounds of every path in turn.

    ``before_each(name)`` runs untimed before every call (to reset the database, say).
    """
    names = list(paths)
    for _ in range(warm_up):
        for name in names:
            if before_each:
                before_each(name)
            paths[name]()
    timings = {name: Timings() for name in names}
    for _ in range(runs):
        for name in names:
            if before_each:
                before_each(name)
            started = time.perf_counter()
            timings[name].result = paths[name]()
            timings[name].seconds.append(time.perf_counter() - started)
    return timings


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"
