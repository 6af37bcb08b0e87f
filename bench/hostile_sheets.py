"""How the spreadsheet reader answers the two sheets that once took the server's memory.

    .venv/bin/python bench/hostile_sheets.py

No database needed. Builds (1) an XLSX with 2,000,000 one-cell rows and (2) a 10,000-row sheet
with one stray value in cell XFD1, then reads each through ``dukcapil.spreadsheets.read_table``
three times and prints the median time to the refusal, Python's peak memory and the refusal
itself. Before the bounded reader the reporter measured 11 min / 22.7 GB for (1) and 50 s /
7.8 GB for 10,000 rows of (2); the targets are seconds and tens of MiB.
"""

import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dukcapil.settings")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

import django

django.setup()

from dukcapil.spreadsheets import HeaderRow, SpreadsheetError, read_table  # noqa: E402
from tests.dukcapil.test_hostile_sheets import stray_value_in_xfd1, two_million_rows  # noqa: E402

RUNS = 3


def refusal(data: bytes) -> str:
    try:
        read_table(data, "penduduk.xlsx", HeaderRow(("NIK",)))
    except SpreadsheetError as exc:
        return " ".join(exc.messages)
    return "DITERIMA (tidak ditolak!)"


def main() -> None:
    for name, build in (("2.000.000 baris", two_million_rows), ("XFD1", stray_value_in_xfd1)):
        data = build()
        refusal(data)  # warm-up
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            answer = refusal(data)
            times.append(time.perf_counter() - started)
        tracemalloc.start()
        refusal(data)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"{name:16} {len(data) / 2**20:6.2f} MiB berkas"
            f"  median {statistics.median(times):6.3f} s"
            f"  puncak Python {peak / 2**20:5.1f} MiB\n  → {answer}"
        )


if __name__ == "__main__":
    main()
