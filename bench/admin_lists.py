"""The big admin lists at a million residents: time, queries and plan of every page and sort.

    DATABASE_URL=postgres://root@127.0.0.1:5432/dukcapil_bench \\
        .venv/bin/python bench/admin_lists.py --residents 1000000

Seeds residents up to --residents and applications up to --applications (default 60 % of the
residents) in SQL (INSERT … SELECT generate_series; reruns reuse what is there): most were
loaded from SIAK at one moment and share one submitted_at, the rest arrived over the campaign
in every status. Then it requests, each as the role whose list it is: the resident list
(plain, page 50, by kecamatan, by kelurahan, every sortable column both ways), the
applications of every desk (plain, by kecamatan, by kelurahan, oldest last) and of the Kepala
Seksi, and the collection queue. Pages are timed interleaved (bench/_measure.py).
For each page it prints the median ms, the query counts seen, the rows listed, and whether the
plan of the page's query (EXPLAIN ANALYZE) still sorts rows, and how many.
Targets: median under 150 ms; the same query count on every run of a page.
"""

import argparse
import json
import sys
import warnings
from pathlib import Path

# The project, not bench/, first on the path: bench/queue.py must not stand in for the stdlib's.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
from bench._measure import interleaved, load_average  # noqa: E402
from bench._setup import django_on_postgres  # noqa: E402

django_on_postgres()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from bench._seed import STATIC, analyze, client_as, fill_applications, fill_residents  # noqa: E402
from dukcapil import roles  # noqa: E402
from registry.models import CardApplication, District, Resident  # noqa: E402

RUNS = 5
TARGET_MS = 150
RESIDENTS = "/admin/registry/resident/"
APPLICATIONS = "/admin/registry/cardapplication/"
QUEUE = "/admin/registry/collectionqueueentry/"


def column(admin_url: str, name: str, client: Client) -> int:
    """The position of a list column, for ?o= (as the changelist numbers them)."""
    changelist = client.get(admin_url).context_data["cl"]
    return changelist.list_display.index(name)


def pages() -> list[tuple[str, str, str]]:
    """(label, role, address) of every page measured."""
    district = District.objects.get(code="53.71.04")
    village = district.villages.order_by("code")[2]
    kecamatan = f"resident__village__district__id__exact={district.pk}"
    kelurahan = f"resident__village__id__exact={village.pk}"
    result = [
        ("penduduk", roles.SUPERVISOR, RESIDENTS),
        ("penduduk p50", roles.SUPERVISOR, f"{RESIDENTS}?p=50"),
        (
            "penduduk kec",
            roles.SUPERVISOR,
            f"{RESIDENTS}?village__district__id__exact={district.pk}",
        ),
        ("penduduk kel", roles.SUPERVISOR, f"{RESIDENTS}?village__id__exact={village.pk}"),
    ]
    supervisor = client_as(roles.SUPERVISOR)
    for name in ("full_name", "nik", "kk_number", "birth_date", "village"):
        number = column(RESIDENTS, name, supervisor)
        for sign in ("", "-"):
            result.append(
                (f"penduduk o={sign}{name}", roles.SUPERVISOR, f"{RESIDENTS}?o={sign}{number}")
            )
    for label, role in (
        ("semua", roles.SUPERVISOR),
        ("pendaftaran", roles.REGISTRATION),
        ("perekaman", roles.RECORDING),
        ("cetak", roles.PRINTING),
        ("penyerahan", roles.HANDOVER),
    ):
        age = column(APPLICATIONS, "age", client_as(role))
        result += [
            (f"permohonan {label}", role, APPLICATIONS),
            (f"permohonan {label} kec", role, f"{APPLICATIONS}?{kecamatan}"),
            (f"permohonan {label} kel", role, f"{APPLICATIONS}?{kelurahan}"),
            (f"permohonan {label} o=-age", role, f"{APPLICATIONS}?o=-{age}"),
        ]
    result += [
        ("permohonan semua p50", roles.SUPERVISOR, f"{APPLICATIONS}?p=50"),
        ("permohonan semua ganda", roles.SUPERVISOR, f"{APPLICATIONS}?status__exact=duplicate"),
    ]
    handover = client_as(roles.HANDOVER)
    result += [
        ("antrean", roles.HANDOVER, QUEUE),
        ("antrean p50", roles.HANDOVER, f"{QUEUE}?p=50"),
        ("antrean kec", roles.HANDOVER, f"{QUEUE}?{kecamatan}"),
        ("antrean kel", roles.HANDOVER, f"{QUEUE}?{kelurahan}"),
        ("antrean > 30 hari", roles.HANDOVER, f"{QUEUE}?menunggu=30"),
    ]
    for name in ("waiting_since", "age"):
        number = column(QUEUE, name, handover)
        for sign in ("", "-"):
            result.append((f"antrean o={sign}{name}", roles.HANDOVER, f"{QUEUE}?o={sign}{number}"))
    return result


class Page:
    """One list page as one role: each request's query count, and its list query."""

    def __init__(self, client: Client, address: str):
        self.client, self.address = client, address
        self.query_counts: set[int] = set()
        self.list_sql = ""
        self.rows = 0

    def __call__(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.address)
        if response.status_code != 200:
            sys.exit(f"{self.address} answered {response.status_code}")
        self.query_counts.add(len(queries.captured_queries))
        self.rows = len(response.context_data["cl"].result_list)
        # The page's rows: the query that orders (and pages, when there is more than a page);
        # none when nothing matched.
        ordered = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"]]
        paged = [sql for sql in ordered if " LIMIT " in sql]
        self.list_sql = (paged or ordered or [""])[0]

    def sorted_rows(self) -> str:
        """The rows each Sort node of the list query's plan sorted ("—" for none)."""
        if not self.list_sql:
            return "— (no rows)"
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {self.list_sql}")
            (plan,) = cursor.fetchone()
        if isinstance(plan, str):
            plan = json.loads(plan)
        sorts = [node for node in _nodes(plan[0]["Plan"]) if "Sort" in node["Node Type"]]
        # A Sort's own row count is what LIMIT took from it; what it sorted is its input's.
        return ", ".join(f"{n['Node Type']} {n['Plans'][0]['Actual Rows']:,}" for n in sorts) or "—"


def _nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--applications", type=int, help="default: 60 %% of the residents")
    args = parser.parse_args()
    applications = args.applications or args.residents * 6 // 10

    seeder, _ = get_user_model().objects.get_or_create(username="bench-seeder")
    fill_residents(args.residents)
    fill_applications(applications, seeder)
    analyze()
    # WhiteNoise warns that collectstatic never ran; the pages do not need it.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    # Signed in with force_login, as in the tests: the second factor is not what is measured.
    with override_settings(STORAGES=STATIC, DUKCAPIL_OTP_REQUIRED=False):
        clients = {}
        measured = {}
        for label, role, address in pages():
            client = clients.get(role) or clients.setdefault(role, client_as(role))
            if client.get(address).status_code == 302:  # a small register has no page 50
                print(f"{label}: not measured, the list has fewer pages at this size")
                continue
            measured[label] = Page(client, address)
        timings = interleaved(measured, runs=RUNS)
    residents, total = Resident.objects.count(), CardApplication.objects.count()
    siak = CardApplication.objects.filter(loaded_from_siak=True).count()
    print(f"\n{residents:,} residents, {total:,} applications ({siak:,} loaded from SIAK at one")
    print(f"moment); {RUNS} interleaved runs after a warm-up; {load_average()}")
    print(
        f"{'page':<34} {'median ms':>9} {'queries':>8} {'rows':>5}  {'sorted in plan':<16} target"
    )
    slow = []
    for label, page in measured.items():
        median = timings[label].median * 1000
        counts = "/".join(str(c) for c in sorted(page.query_counts))
        verdict = "ok" if median < TARGET_MS else f"SLOW (≥ {TARGET_MS} ms)"
        if median >= TARGET_MS:
            slow.append(label)
        print(
            f"{label:<34} {median:>9.1f} {counts:>8} {page.rows:>5}  "
            f"{page.sorted_rows():<16} {verdict}"
        )
    constant = all(len(page.query_counts) == 1 for page in measured.values())
    print(f"\nQuery count constant for each page, run after run: {'yes' if constant else 'NO'}")
    print(f"Pages at or over {TARGET_MS} ms: {', '.join(slow) or 'none'}")


if __name__ == "__main__":
    main()
