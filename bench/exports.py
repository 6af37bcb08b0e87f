"""How fast, and in how much memory, the admin's CSV and XLSX exports write a million residents.

    .venv/bin/python bench/exports.py [--rows 1000000] [--peak-rows 200000] [--openpyxl-rows 50000]

No database needed: rows are made in Python in the shape of the resident export (20 columns of
``registry.siak.COLUMNS``: NIK, No. KK, name, place and date of birth, sex, …, kelurahan,
kecamatan), so the figures are the writer's and the row source's alone. Each path runs once to
warm up, then three times interleaved (``bench/_measure.py``); medians are printed with the load
average. Python's peak memory (tracemalloc) is measured in one more, untimed run per path over
--peak-rows rows: it stays flat however many rows follow.

Baselines: the CSV writer as it was before this benchmark (``stream_csv`` of commit 47dffa0,
read from git: a regular expression per cell, one ``writerow`` per row); the plain
``csv.writer`` over an ``io.StringIO`` flushed per 64 KB (what the CSV export does, without
neutralising formulas); and openpyxl's write-only workbook, which is slow enough (some 2,000
rows/s here) to be timed over --openpyxl-rows rows only.
Target: the CSV export at 100,000 rows/s or more.
"""

import argparse
import csv
import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
import tracemalloc
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project, not bench/, first on the path: bench/queue.py must not stand in for the stdlib's.
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dukcapil.settings")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402

from bench._measure import interleaved, load_average  # noqa: E402
from dukcapil.sheet_writer import stream_csv, stream_xlsx  # noqa: E402
from registry.siak import HEADERS  # noqa: E402

PREVIOUS = "47dffa0"
CHUNK_BYTES = 64 * 1024
TARGET_CSV_ROWS_PER_SECOND = 100_000
NAMES = [
    "YOHANES NDOLU",
    "MARIA GORETI BANUNAEK",
    "DOMINGGUS LAY",
    "SARLOTA TAEK",
    "ABRAHAM FANGGIDAE",
]
PLACES = ["KUPANG", "SOE", "ATAMBUA", "KEFAMENANU", "BA'A"]
JOBS = ["PELAJAR/MAHASISWA", "WIRASWASTA", "PEGAWAI NEGERI SIPIL", "MENGURUS RUMAH TANGGA", ""]
VILLAGES = [("5371011001", "OEBOBO", "OEBOBO"), ("5371021002", "NAIKOTEN I", "KOTA RAJA")]


def resident_rows(count: int):
    for i in range(count):
        code, village, district = VILLAGES[i % 2]
        yield [
            f"5371012701{i % 10**6:06d}",
            f"5371012001{i % 999_999:06d}",
            NAMES[i % 5],
            PLACES[i % 5],
            dt.date(1950 + i % 60, 1 + i % 12, 1 + i % 28),
            "Laki-laki" if i % 2 else "Perempuan",
            "O" if i % 3 else "",
            "Kristen Protestan",
            "Kawin",
            JOBS[i % 5],
            f"JL. EL TARI NO. {i % 200}",
            f"{i % 20:03d}",
            f"{i % 9:03d}",
            code,
            village,
            district,
            1,
            "WNI",
            "081234567890" if i % 4 else "",
            "Hidup",
        ]


def previous_writer() -> types.ModuleType:
    source = subprocess.run(
        ["git", "show", f"{PREVIOUS}:dukcapil/sheet_writer.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("previous_sheet_writer")
    exec(compile(source, f"{PREVIOUS}:dukcapil/sheet_writer.py", "exec"), module.__dict__)
    return module


def plain_csv(headers, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def openpyxl_write_only(headers, rows):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    with tempfile.TemporaryFile() as file:
        book.save(file)
        yield b"x" * file.tell()


OPENPYXL = "XLSX openpyxl write_only"
PATHS = {
    "CSV  previous stream_csv": previous_writer().stream_csv,
    "CSV  csv.writer (no neutralising)": plain_csv,
    "CSV  sheet_writer.stream_csv": stream_csv,
    OPENPYXL: openpyxl_write_only,
    "XLSX sheet_writer.stream_xlsx": stream_xlsx,
}


def written(writer, count: int) -> int:
    return sum(len(chunk) for chunk in writer(HEADERS, resident_rows(count)))


def peak_mib(writer, count: int) -> float:
    tracemalloc.start()
    try:
        written(writer, count)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--peak-rows", type=int, default=200_000)
    parser.add_argument("--openpyxl-rows", type=int, default=50_000)
    args = parser.parse_args()
    counts = dict.fromkeys(PATHS, args.rows) | {OPENPYXL: args.openpyxl_rows}
    peak_rows = {name: min(count, args.peak_rows) for name, count in counts.items()}
    print(
        f"{args.rows:,} rows of {len(HEADERS)} columns ({args.openpyxl_rows:,} for openpyxl);"
        f" {load_average()} before"
    )
    timings = interleaved({name: lambda n=name: written(PATHS[n], counts[n]) for name in PATHS})
    print(load_average(), "after")
    rates = {name: counts[name] / t.median for name, t in timings.items()}
    for name, t in timings.items():
        print(
            f"{name:34} {rates[name]:9,.0f} rows/s  median {t.median:6.2f} s ({t.spread()})"
            f"  {t.result / 2**20:7.1f} MiB out"
            f"  peak Python {peak_mib(PATHS[name], peak_rows[name]):5.2f} MiB"
            f" over {peak_rows[name]:,} rows"
        )
    previous, plain, csv_now, openpyxl_, xlsx_now = PATHS
    print(f"stream_csv / previous:   {rates[csv_now] / rates[previous]:.2f}×")
    print(f"stream_csv / csv.writer: {rates[csv_now] / rates[plain]:.2f}×")
    print(f"stream_xlsx / openpyxl:  {rates[xlsx_now] / rates[openpyxl_]:.2f}×")
    verdict = "met" if rates[csv_now] >= TARGET_CSV_ROWS_PER_SECOND else "NOT met"
    print(f"CSV target {TARGET_CSV_ROWS_PER_SECOND:,} rows/s: {verdict}")


if __name__ == "__main__":
    main()
