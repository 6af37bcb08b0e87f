"""How the spreadsheet reader answers the two sheets that once took the server's memory.

    .venv/bin/python bench/hostile_sheets.py

No database needed. Builds (1) an XLSX with 2,000,000 one-cell rows and (2) a 10,000-row sheet
with one stray value in cell XFD1, then reads each through ``dukcapil.spreadsheets.read_table``:
a warm-up, then three runs of each sheet interleaved with the other (``bench/_measure.py``).
Prints per sheet the median time to the refusal with its spread, Python's peak memory (one more
read under tracemalloc, untimed) and the refusal itself, and the load average beside them.
Before the bounded reader the reporter measured 11 min / 22.7 GB for (1) and 50 s / 7.8 GB for
10,000 rows of (2); the targets are seconds and tens of MiB. Takes about 10 s.
"""

import os
import sys
import tracemalloc
from pathlib import Path

# The project, not bench/, first on the path: bench/queue.py must not stand in for the stdlib's.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dukcapil.settings")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

import django  # noqa: E402

django.setup()

from bench._measure import interleaved, load_average  # noqa: E402
from dukcapil.spreadsheets import HeaderRow, SpreadsheetError, read_table  # noqa: E402
from tests.dukcapil.test_hostile_sheets import stray_value_in_xfd1, two_million_rows  # noqa: E402


def refusal(data: bytes) -> str:
    try:
        read_table(data, "penduduk.xlsx", HeaderRow(("NIK",)))
    except SpreadsheetError as exc:
        return " ".join(exc.messages)
    return "DITERIMA (tidak ditolak!)"


def peak_memory(data: bytes) -> int:
    tracemalloc.start()
    try:
        refusal(data)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    sheets = {"2.000.000 baris": two_million_rows(), "XFD1": stray_value_in_xfd1()}
    timings = interleaved({name: lambda data=data: refusal(data) for name, data in sheets.items()})
    for name, data in sheets.items():
        taken = timings[name]
        print(
            f"{name:16} {len(data) / 2**20:6.2f} MiB berkas"
            f"  median {taken.median:6.3f} s ({taken.spread()})"
            f"  puncak Python {peak_memory(data) / 2**20:5.1f} MiB\n  → {taken.result}"
        )
    print(load_average())


if __name__ == "__main__":
    main()
