"""Resident list pages of the admin at a million residents: time and queries per page.

    DATABASE_URL=postgres://root@127.0.0.1:5432/dukcapil_bench \\
        .venv/bin/python bench/admin_lists.py --residents 1000000

Seeds demo residents up to --residents (reruns reuse them), runs ANALYZE, then requests
/admin/registry/resident/ as a Kepala Seksi: unfiltered, page 50, one kecamatan, an exact NIK
and a family name. Each page is warmed up twice and then timed 15 times.
Targets: median under 150 ms, and the same number of queries on every page (no query per row).
"""

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on_postgres

django_on_postgres()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from tqdm import tqdm  # noqa: E402

from dukcapil.roles import SUPERVISOR  # noqa: E402
from registry.demo import seed_residents  # noqa: E402
from registry.models import District, Resident  # noqa: E402

LIST_URL = "/admin/registry/resident/"
WARM_UP, RUNS = 2, 15
TARGET_MS = 150
# Pages render without a collectstatic manifest, as in the tests.
STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def fill_register(target: int) -> int:
    existing = Resident.objects.count()
    if existing >= target:
        print(f"Register already holds {existing:,} residents; reusing them.")
        return existing
    missing = target - existing
    print(f"Seeding {missing:,} demo residents (register holds {existing:,})…")
    started = time.perf_counter()
    with tqdm(total=missing, unit="residents") as bar:
        seed_residents(count=missing, progress=bar.update)
    seconds = time.perf_counter() - started
    print(f"Seeded {missing:,} in {seconds:.1f} s: {missing / seconds:,.0f} residents/s")
    return target


def analyze() -> None:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_resident")
        cursor.execute("ANALYZE registry_historicalresident")
    print(f"ANALYZE took {time.perf_counter() - started:.1f} s")


def supervisor_client() -> Client:
    user, _ = get_user_model().objects.get_or_create(
        username="bench-kasi", defaults={"is_staff": True}
    )
    user.groups.set([Group.objects.get(name=SUPERVISOR)])
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    return client


def pages() -> list[tuple[str, str]]:
    district = District.objects.get(code="53.71.04")
    nik = Resident.objects.order_by("pk").values_list("nik", flat=True)[1000]
    return [
        ("unfiltered", ""),
        ("unfiltered, page 50", "?p=50"),
        (f"kecamatan {district.name}", f"?village__district__id__exact={district.pk}"),
        ("NIK, exact", f"?q={nik}"),
        ("family name NDOLU", "?q=NDOLU"),
    ]


def measure(client: Client, query: str) -> tuple[float, float, set[int], int]:
    """Median and p90 in ms, the query counts seen, and the rows the page lists."""
    for _ in range(WARM_UP):
        client.get(LIST_URL + query)
    timings, query_counts = [], set()
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(LIST_URL + query)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            sys.exit(f"{LIST_URL}{query} answered {response.status_code}")
        query_counts.add(len(queries.captured_queries))
    rows = response.content.decode().count('<td class="field-nik')
    return statistics.median(timings), statistics.quantiles(timings, n=10)[-1], query_counts, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=1_000_000)
    args = parser.parse_args()

    total = fill_register(args.residents)
    analyze()
    # WhiteNoise warns that collectstatic never ran; the pages do not need it.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    client = supervisor_client()
    print(f"\n{LIST_URL} as {SUPERVISOR}, {total:,} rows in registry_resident")
    print(f"{'page':<24} {'median ms':>10} {'p90 ms':>8} {'queries':>8} {'rows':>5}  target")
    results = []
    with override_settings(STORAGES=STATIC):
        for label, query in pages():
            median, p90, query_counts, rows = measure(client, query)
            results.append(query_counts)
            counts = "/".join(str(c) for c in sorted(query_counts))
            verdict = "ok" if median < TARGET_MS else f"SLOW (≥ {TARGET_MS} ms)"
            print(f"{label:<24} {median:>10.1f} {p90:>8.1f} {counts:>8} {rows:>5}  {verdict}")
    every_count = sorted(set().union(*results))
    constant = "yes" if all(len(counts) == 1 for counts in results) else "NO"
    print(f"\nQuery count constant for each page, run after run: {constant}")
    print(
        f"Across pages: {every_count[0]}–{every_count[-1]} queries (an exact COUNT is added only "
        "where the planner expects at most 2,000 rows)"
    )


if __name__ == "__main__":
    main()
