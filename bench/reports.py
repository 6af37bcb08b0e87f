"""The supervisor's pages and exports at a million residents: the dashboard, the capacity
planner, every report and the monthly workbook; the resident export in CSV and XLSX.

    DATABASE_URL=postgres://root@127.0.0.1:5432/dukcapil_bench \\
        .venv/bin/python bench/reports.py [--residents 1000000] [--applications 500000]

Seeds (bench/_seed.py, then here; all SQL, reruns reuse what is there) the register, the
applications and their blanks, every application's events (the SIAK load at one moment, the
rest step by step over the campaign's days), the campaign, and a year of the blank ledger: a
receipt a month, its blanks used or spoiled over that month. Then, as the Kepala Seksi, with
``bench/_measure.py`` (a warm-up, then interleaved runs, medians):

- pages: the dashboard (/admin/), the capacity planner, every report of
  ``registry.reports.definitions.REPORTS`` unfiltered (the current month, empty) and for a busy
  month, and the monthly workbook of both months: median ms and the query counts seen;
- exports: the whole register as CSV and one kecamatan (Kota Lama: 196,073 of the million
  residents) as XLSX through the admin's export (``spreadsheet_response``), and beside them
  the plain django-import-export way (``resource.export(queryset)`` then ``dataset.csv`` /
  ``dataset.xlsx``) over the first --baseline-csv-rows / --baseline-xlsx-rows of the same rows
  (it holds every row in memory, so the full size would take minutes and gigabytes). Each
  export runs in a fresh process of this script (``--worker``) that reports its rows/s and its
  peak RSS (the kernel's high-water mark, reset just before the export: absolute, and above
  the RSS before the export), and once more under tracemalloc for the peak of Python's own
  allocations.

Targets: each page under 300 ms median, its query count the same run after run and in an
empty month as in a busy one; export peak memory under 150 MB (the process's peak RSS above
what it held before the export) whatever the row count; the CSV export at 100,000 rows/s.
"""

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

# The project, not bench/, first on the path: bench/queue.py must not stand in for the stdlib's.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
from bench._measure import interleaved, load_average  # noqa: E402
from bench._setup import django_on_postgres  # noqa: E402

django_on_postgres()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from import_export import resources  # noqa: E402
from import_export.fields import Field  # noqa: E402

from bench._seed import (  # noqa: E402
    BLANK_PREFIX,
    CARD_RECEIPT,
    PRINTER,
    SIAK_LOADED_AT,
    STATIC,
    analyze,
    client_as,
    fill_applications,
    fill_residents,
)
from dukcapil import roles  # noqa: E402
from registry.models import ApplicationEvent, Campaign, District, Resident  # noqa: E402
from registry.reports.definitions import REPORTS  # noqa: E402
from registry.siak import COLUMNS  # noqa: E402
from stock.models import Location, Movement, Receipt  # noqa: E402

RUNS = 3
TARGET_MS = 300
TARGET_PEAK_MIB = 150
TARGET_CSV_ROWS_PER_SECOND = 100_000
# The campaign of the seeded period (as migration 0006 creates it).
CAMPAIGN = {"target": 40_000, "start": dt.date(2020, 1, 27), "end": dt.date(2020, 4, 27)}
CAMPAIGN_NAME = "Percepatan perekaman dan pencetakan KTP-el Kota Kupang"
BUSY_MONTH = dt.date(2020, 2, 1)
# Every report reads the fields it has and ignores the rest.
BUSY_QUERY = f"dari={BUSY_MONTH}&sampai=2020-02-29&bulan={BUSY_MONTH:%Y-%m}"
# A year of the blank ledger: a receipt on the first of each month from February 2020.
LEDGER_MONTHS = 12
LEDGER_BLANKS_PER_MONTH = 20_000
LEDGER_PREFIX = f"{BLANK_PREFIX}Y"
RESIDENT_EXPORT = "/admin/registry/resident/export/{fmt}/"
XLSX_DISTRICT = "53.71.06"  # Kota Lama: some 200,000 of the million residents

# Every application's steps as events: what SIAK loaded at its one moment, the rest at the
# times the application records for each step.
EVENTS_SQL = """
INSERT INTO registry_applicationevent (application_id, from_status, to_status, actor_id, at,
                                       assignment_id, note)
SELECT id, '', status, %(actor)s, submitted_at, NULL::bigint, 'Dimuat dari SIAK'
  FROM registry_cardapplication WHERE loaded_from_siak
UNION ALL SELECT id, '', 'submitted', %(actor)s, submitted_at, NULL, ''
  FROM registry_cardapplication WHERE NOT loaded_from_siak
UNION ALL SELECT id, 'submitted', 'verified', %(actor)s, verified_at, NULL, ''
  FROM registry_cardapplication WHERE NOT loaded_from_siak AND verified_at IS NOT NULL
UNION ALL SELECT id, 'verified', 'recorded', %(actor)s, recorded_at, NULL, ''
  FROM registry_cardapplication WHERE recorded_at IS NOT NULL
UNION ALL SELECT id, 'recorded', 'print_ready', %(actor)s, print_ready_at, NULL, ''
  FROM registry_cardapplication WHERE print_ready_at IS NOT NULL
UNION ALL SELECT id, 'print_ready', 'printed', %(actor)s, printed_at, NULL, ''
  FROM registry_cardapplication WHERE printed_at IS NOT NULL
UNION ALL SELECT id, 'printed', 'issued', %(actor)s, issued_at, NULL, ''
  FROM registry_cardapplication WHERE issued_at IS NOT NULL AND NOT loaded_from_siak
"""
# The ledger of the applications' blanks (bench/_seed.py): received together, each used when
# its card was printed.
CARD_MOVEMENTS_SQL = """
INSERT INTO stock_movement (kind, blank_id, from_location_id, from_status, to_location_id,
                            to_status, actor_id, at, reference, note)
SELECT 'receive', b.id, NULL, '', b.location_id, 'in_stock', %(actor)s, %(at)s,
       %(reference)s, ''
  FROM stock_blank b JOIN stock_receipt r ON r.id = b.receipt_id
 WHERE r.reference = %(reference)s
UNION ALL
SELECT 'use', b.id, b.location_id, 'in_stock', b.location_id, 'used', %(actor)s,
       a.printed_at, '', ''
  FROM stock_blank b JOIN registry_cardapplication a ON a.blank_id = b.id
"""
# One month's receipt: one blank in 50 spoiled, one left in stock, the rest used, each at a
# moment of the month after the receipt.
LEDGER_BLANKS_SQL = """
INSERT INTO stock_blank (serial, receipt_id, location_id, status, spoil_reason)
SELECT %(prefix)s || lpad(n::text, 7, '0'), %(receipt)s, %(location)s,
       CASE n %% 50 WHEN 0 THEN 'spoiled' WHEN 1 THEN 'in_stock' ELSE 'used' END,
       CASE WHEN n %% 50 = 0 THEN
           (ARRAY['gagal_encode','rusak_fisik','gagal_cetak','perubahan_data','tanpa_chip'])
               [1 + (n / 50) %% 5]
       ELSE '' END
FROM generate_series(1, %(quantity)s) AS n
"""
LEDGER_MOVEMENTS_SQL = """
INSERT INTO stock_movement (kind, blank_id, from_location_id, from_status, to_location_id,
                            to_status, actor_id, at, reference, note)
SELECT 'receive', b.id, NULL, '', b.location_id, 'in_stock', %(actor)s, %(at)s,
       %(reference)s, ''
  FROM stock_blank b WHERE b.receipt_id = %(receipt)s
UNION ALL
SELECT CASE b.status WHEN 'used' THEN 'use' ELSE 'spoil' END, b.id, b.location_id,
       'in_stock', b.location_id, b.status, %(actor)s,
       %(at)s::timestamptz + INTERVAL '1 hour'
           + (b.id * 7919 %% (27 * 24 * 3600)) * INTERVAL '1 second', '', ''
  FROM stock_blank b WHERE b.receipt_id = %(receipt)s AND b.status <> 'in_stock'
"""


def fill_events(actor) -> None:
    if ApplicationEvent.objects.exists():
        print(f"{ApplicationEvent.objects.count():,} events already; reusing them.")
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(EVENTS_SQL, {"actor": actor.pk})
    print(f"Seeded events in {time.perf_counter() - started:.1f} s")


def fill_ledger(actor) -> None:
    """The applications' blanks' movements, and a year of monthly receipts used and spoiled."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if not Movement.objects.filter(reference=CARD_RECEIPT).exists():
            params = {"actor": actor.pk, "at": SIAK_LOADED_AT, "reference": CARD_RECEIPT}
            cursor.execute(CARD_MOVEMENTS_SQL, params)
        location = Location.objects.get(name=PRINTER)
        for month in range(LEDGER_MONTHS):
            first = dt.date(2020 + (1 + month) // 12, 1 + (1 + month) % 12, 1)
            prefix = f"{LEDGER_PREFIX}{first:%y%m}"
            with transaction.atomic():
                receipt, created = Receipt.objects.get_or_create(
                    reference=f"{CARD_RECEIPT}-{first:%Y-%m}",
                    defaults={
                        "received_on": first,
                        "source": "apbn",
                        "quantity": LEDGER_BLANKS_PER_MONTH,
                        "serial_first": f"{prefix}0000001",
                        "serial_last": f"{prefix}{LEDGER_BLANKS_PER_MONTH:07d}",
                        "location": location,
                        "received_by": actor,
                    },
                )
                if not created:
                    continue
                params = {
                    "prefix": prefix,
                    "receipt": receipt.pk,
                    "location": location.pk,
                    "quantity": LEDGER_BLANKS_PER_MONTH,
                    "actor": actor.pk,
                    "at": f"{first} 08:00+08",
                    "reference": receipt.reference,
                }
                cursor.execute(LEDGER_BLANKS_SQL, params)
                cursor.execute(LEDGER_MOVEMENTS_SQL, params)
        for table in ("registry_applicationevent", "stock_movement", "stock_blank"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"Blank ledger ready in {time.perf_counter() - started:.1f} s")


def seed(residents: int, applications: int) -> None:
    seeder, _ = get_user_model().objects.get_or_create(username="bench-seeder")
    fill_residents(residents)
    fill_applications(applications, seeder)
    fill_events(seeder)
    fill_ledger(seeder)
    Campaign.objects.get_or_create(**CAMPAIGN, defaults={"name": CAMPAIGN_NAME})
    analyze()


# --- pages -------------------------------------------------------------------------------


class Page:
    """One page as the Kepala Seksi: each request's query count (a download is read whole)."""

    def __init__(self, client, address: str):
        self.client, self.address = client, address
        self.query_counts: set[int] = set()

    def __call__(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.address)
            if response.streaming:
                for _ in response.streaming_content:
                    pass
        if response.status_code != 200:
            sys.exit(f"{self.address} answered {response.status_code}")
        self.query_counts.add(len(queries.captured_queries))


def page_addresses() -> dict[str, str]:
    result = {
        "dasbor": "/admin/",
        "perencana kapasitas": "/admin/registry/campaign/perencana-kapasitas/",
    }
    for report in REPORTS:
        result[f"{report.slug} [bulan ini]"] = f"/admin/laporan/{report.slug}/"
        result[f"{report.slug} [{BUSY_MONTH:%m/%Y}]"] = (
            f"/admin/laporan/{report.slug}/?{BUSY_QUERY}"
        )
    result["bulanan.xlsx [bulan ini]"] = "/admin/laporan/bulanan.xlsx"
    result[f"bulanan.xlsx [{BUSY_MONTH:%m/%Y}]"] = (
        f"/admin/laporan/bulanan.xlsx?bulan={BUSY_MONTH:%Y-%m}"
    )
    return result


def measure_pages() -> None:
    client = client_as(roles.SUPERVISOR)
    pages = {label: Page(client, address) for label, address in page_addresses().items()}
    timings = interleaved(pages, runs=RUNS)
    print(
        f"\nPages as {roles.SUPERVISOR}: {RUNS} interleaved runs after a warm-up; {load_average()}"
    )
    print(f"{'page':<40} {'median ms':>9} {'queries':>8}  target {TARGET_MS} ms")
    slow, unsteady = [], []
    for label, page in pages.items():
        median = timings[label].median * 1000
        counts = "/".join(str(c) for c in sorted(page.query_counts))
        if median >= TARGET_MS:
            slow.append(label)
        if len(page.query_counts) > 1:
            unsteady.append(label)
        print(f"{label:<40} {median:>9.1f} {counts:>8}  {'ok' if median < TARGET_MS else 'SLOW'}")
    # An empty month and a busy one issue the same queries if the count does not grow with data.
    grows = [
        report.slug
        for report in REPORTS
        if pages[f"{report.slug} [bulan ini]"].query_counts
        != pages[f"{report.slug} [{BUSY_MONTH:%m/%Y}]"].query_counts
    ]
    print(f"Pages at or over {TARGET_MS} ms: {', '.join(slow) or 'none'}")
    print(f"Query count changing run to run: {', '.join(unsteady) or 'none'}")
    print(f"Query count differing between an empty and a busy month: {', '.join(grows) or 'none'}")


# --- exports -----------------------------------------------------------------------------


class _PlainMeta:
    model = Resident
    fields = export_order = tuple(c.header for c in COLUMNS)


# The resident export the plain django-import-export way: a declared field per column.
# ``registry.resources.ResidentResource`` is for import only: its fields name no attribute, so
# its ``export()`` writes empty cells; this one exports the same columns' values (choices as
# stored, not as labels).
PlainResidentResource = type(
    "PlainResidentResource",
    (resources.ModelResource,),
    {c.header: Field(attribute=c.source, column_name=c.header) for c in COLUMNS}
    | {"Meta": _PlainMeta},
)


def xlsx_filter() -> str:
    district = District.objects.get(code=XLSX_DISTRICT)
    return f"village__district__id__exact={district.pk}"


def export_rows(path: str) -> int:
    """How many residents an export path writes (before a baseline's own limit)."""
    if path.startswith("xlsx"):
        return Resident.objects.filter(village__district__code=XLSX_DISTRICT).count()
    return Resident.objects.count()


def run_export(path: str, limit: int, client) -> tuple[int, int]:
    """Write one export; return (rows, bytes)."""
    fmt = path.split()[0]
    if path.endswith("admin"):
        query = f"?{xlsx_filter()}" if fmt == "xlsx" else ""
        response = client.get(RESIDENT_EXPORT.format(fmt=fmt) + query)
        if response.status_code != 200:
            sys.exit(f"The {fmt} export answered {response.status_code}")
        written = sum(len(chunk) for chunk in response.streaming_content)
        return export_rows(path), written
    queryset = Resident.objects.select_related("village__district").order_by("pk")
    if fmt == "xlsx":
        queryset = queryset.filter(village__district__code=XLSX_DISTRICT)
    dataset = PlainResidentResource().export(queryset[:limit])
    return len(dataset), len(dataset.csv.encode() if fmt == "csv" else dataset.xlsx)


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def worker(path: str, limit: int, traced: bool) -> None:
    """One export in this fresh process; print its figures as JSON on the last line."""
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    client = client_as(roles.SUPERVISOR)  # signed in before measuring
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak RSS to the RSS now
    before = _status_kib("VmRSS")
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    with override_settings(STORAGES=STATIC, DUKCAPIL_OTP_REQUIRED=False):
        rows, written = run_export(path, limit, client)
    seconds = time.perf_counter() - started
    figures = {
        "rows": rows,
        "bytes": written,
        "seconds": seconds,
        "rss_before_kib": before,
        "rss_peak_kib": _status_kib("VmHWM"),
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "traced_peak": tracemalloc.get_traced_memory()[1] if traced else None,
    }
    print(json.dumps(figures))


def in_fresh_process(path: str, limit: int, traced: bool = False) -> dict:
    command = [sys.executable, __file__, "--worker", path, "--limit", str(limit)]
    done = subprocess.run(
        command + (["--traced"] if traced else []), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"{path} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def measure_exports(baseline_csv: int, baseline_xlsx: int) -> None:
    sizes = {
        "csv admin": export_rows("csv admin"),
        "csv baseline": baseline_csv,
        "xlsx admin": export_rows("xlsx admin"),
        "xlsx baseline": baseline_xlsx,
    }
    runs: dict[str, list[dict]] = {path: [] for path in sizes}
    timings = interleaved(
        {path: lambda p=path: runs[p].append(in_fresh_process(p, sizes[p])) for path in sizes},
        runs=RUNS,
    )
    print(f"\nResident export, each run in a fresh process: {RUNS} interleaved runs after a")
    print(f"warm-up, median of the export's own time; {load_average()}")
    print(
        f"{'export':<14} {'rows':>9} {'rows/s':>9} {'MiB out':>8} {'peak RSS':>9}"
        f" {'above before':>12} {'tracemalloc':>11}  process s"
    )
    over = []
    rates = {}
    for path, figures in runs.items():
        measured = figures[1:]  # the first was the warm-up
        seconds = sorted(f["seconds"] for f in measured)[len(measured) // 2]
        rows = measured[0]["rows"]
        rates[path] = rows / seconds
        peak = max(f["rss_peak_kib"] for f in measured) / 1024
        above = max(f["rss_peak_kib"] - f["rss_before_kib"] for f in measured) / 1024
        if above >= TARGET_PEAK_MIB:
            over.append(path)
        traced = in_fresh_process(path, sizes[path], traced=True)["traced_peak"] / 2**20
        print(
            f"{path:<14} {rows:>9,} {rates[path]:>9,.0f} {measured[0]['bytes'] / 2**20:>8.1f}"
            f" {peak:>5.0f} MiB {above:>8.0f} MiB {traced:>7.1f} MiB  {timings[path].median:.1f}"
        )
    print(
        "peak RSS: the process's high-water mark (VmHWM, reset just before the export); above"
        " before: minus the RSS then; tracemalloc: Python's allocations (one more run each)."
    )
    print(
        f"Baselines (resource.export() then .csv/.xlsx) over the first {baseline_csv:,} / "
        f"{baseline_xlsx:,} of the same rows: they hold every row in memory."
    )
    for fmt in ("csv", "xlsx"):
        ratio = rates[f"{fmt} admin"] / rates[f"{fmt} baseline"]
        print(f"{fmt.upper()} admin export / baseline rows/s: {ratio:.1f}×")
    csv_ok = rates["csv admin"] >= TARGET_CSV_ROWS_PER_SECOND
    print(f"CSV target {TARGET_CSV_ROWS_PER_SECOND:,} rows/s: {'met' if csv_ok else 'NOT met'}")
    print(f"Exports at or over {TARGET_PEAK_MIB} MiB above before: {', '.join(over) or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--applications", type=int, default=500_000)
    parser.add_argument("--baseline-csv-rows", type=int, default=100_000)
    parser.add_argument("--baseline-xlsx-rows", type=int, default=20_000)
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-exports", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.limit, args.traced)
        return
    seed(args.residents, args.applications)
    print(
        f"{Resident.objects.count():,} residents, {ApplicationEvent.objects.count():,} events,"
        f" {Movement.objects.count():,} blank movements, campaign"
        f" {Campaign.objects.order_by('-start', '-pk').first()}"
    )
    # WhiteNoise warns that collectstatic never ran; the pages do not need it.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    if not args.skip_pages:
        # Signed in with force_login, as in the tests: the second factor is not what is measured.
        with override_settings(STORAGES=STATIC, DUKCAPIL_OTP_REQUIRED=False):
            measure_pages()
    if not args.skip_exports:
        measure_exports(args.baseline_csv_rows, args.baseline_xlsx_rows)


if __name__ == "__main__":
    main()
