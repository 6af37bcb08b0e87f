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
import time
import warnings
from pathlib import Path

# The project, not bench/, first on the path: bench/queue.py must not stand in for the stdlib's.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
from bench._measure import interleaved, load_average  # noqa: E402
from bench._setup import django_on_postgres  # noqa: E402

django_on_postgres()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from dukcapil import roles  # noqa: E402
from registry.models import CardApplication, District, Resident  # noqa: E402
from stock.models import Location, LocationKind, Receipt  # noqa: E402

RUNS = 5
TARGET_MS = 150
# Pages render without a collectstatic manifest, as in the tests.
STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
RESIDENTS = "/admin/registry/resident/"
APPLICATIONS = "/admin/registry/cardapplication/"
QUEUE = "/admin/registry/collectionqueueentry/"
# When SIAK's backlog was loaded: every loaded application carries this submitted_at.
SIAK_LOADED_AT = "2020-01-27 08:00:00+08"
SIAK_SHARE = 0.6
BLANK_PREFIX = "BENCH"

RESIDENTS_SQL = """
INSERT INTO registry_resident (
    nik, kk_number, full_name, birth_place, birth_date, sex, blood_type, religion,
    marital_status, occupation, nationality, address, rt, rw, village_id, phone, life_status,
    nik_review_note, created_at, updated_at)
SELECT
    -- Unique: the birth date follows i mod 30000 one to one, the serial i div 30000.
    '53710' || (1 + i %% 6)
        || lpad((extract(day FROM born)::int + CASE WHEN i %% 2 = 1 THEN 40 ELSE 0 END)::text,
                2, '0')
        || to_char(born, 'MMYY') || lpad((i / 30000 + 1)::text, 4, '0'),
    '537101' || lpad((i / 4)::text, 10, '0'),
    (ARRAY['YOHANES','MARIA','YOSEF','MARTHA','PETRUS','AGUSTINA','ROBERT','YULIANA','MARKUS',
           'SELVIANA','DANIEL','FRANSISKA','ARNOLDUS','KRISTINA','STEFANUS','ELISABETH'])
        [1 + (i * 7) %% 16] || ' ' ||
    (ARRAY['NDOLU','BENU','TOY','MANAFE','LAY','FANGGIDAE','SABU','KOLO','BIRE','LOMI','TAMELAN',
           'NALLE','SOGE','TUNG','MESAK','DJAHA','RIWU','ADU','LEO','KANA'])[1 + (i / 4) %% 20],
    'KUPANG', born, CASE WHEN i %% 2 = 1 THEN 'P' ELSE 'L' END, 'TT',
    (ARRAY['KRISTEN','KATHOLIK','ISLAM','HINDU'])[1 + i %% 4],
    CASE WHEN born < DATE '2000-01-01' THEN 'KAWIN' ELSE 'BELUM_KAWIN' END, 'WIRASWASTA', 'WNI',
    'JL. TIMOR RAYA NO. ' || (i %% 300), lpad((1 + i %% 20)::text, 3, '0'),
    lpad((1 + i %% 8)::text, 3, '0'), villages[1 + (i / 4) %% array_length(villages, 1)], '',
    'HIDUP', '', now(), now()
FROM generate_series(%(first)s, %(last)s) AS i,
     LATERAL (SELECT DATE '1942-01-01' + (i::bigint * 7919 %% 30000)::int AS born) AS b,
     (SELECT array_agg(id ORDER BY id) AS villages FROM registry_village) AS v
"""

# Application j (1…n) belongs to the j-th resident. The first SIAK_SHARE were loaded from SIAK
# at one moment; the rest arrived every 20 seconds since, in the status given by `pick`.
APPLICATIONS_SQL = """
WITH numbered AS (
    SELECT id AS resident_id, row_number() OVER (ORDER BY id) AS j
    FROM registry_resident ORDER BY id LIMIT %(last)s
), picked AS (
    SELECT resident_id, j, j <= %(loaded)s AS loaded,
           CASE WHEN j <= %(loaded)s THEN
               (ARRAY['issued','issued','issued','issued','issued','issued','issued',
                      'printed','printed','print_ready','recorded'])[1 + (j * 37) %% 11]
           ELSE
               (ARRAY['issued','issued','issued','issued','issued','issued','issued','issued',
                      'issued','printed','printed','printed','print_ready','print_ready',
                      'recorded','recorded','verified','verified','submitted','submitted',
                      'duplicate','enroll_failed','rejected','cancelled'])[1 + (j * 37) %% 24]
           END AS status,
           CASE WHEN j <= %(loaded)s THEN %(siak_at)s::timestamptz
                ELSE %(siak_at)s::timestamptz + (j - %(loaded)s) * INTERVAL '20 seconds'
           END AS at
    FROM numbered WHERE j >= %(first)s
), carded AS (
    SELECT *, CASE WHEN NOT loaded AND status IN ('printed', 'issued')
                   THEN %(cards_before)s + row_number() OVER (
                       PARTITION BY NOT loaded AND status IN ('printed', 'issued') ORDER BY j)
              END AS card
    FROM picked
)
INSERT INTO registry_cardapplication (
    resident_id, kind, status, applicant_present, phone, helper_name, loaded_from_siak,
    blank_id, submitted_by_id, submitted_at, verified_at, recorded_at, print_ready_at,
    printed_at, issued_at, closed_at, handed_over_by_id, verification_method, proxy_name,
    proxy_nik, old_card_collected)
SELECT
    c.resident_id, 'baru', c.status, NOT c.loaded, '', '', c.loaded, blank.id, %(actor)s, c.at,
    CASE WHEN c.status NOT IN ('submitted', 'rejected', 'cancelled') THEN c.at END,
    CASE WHEN NOT c.loaded AND c.status IN ('recorded', 'print_ready', 'printed', 'issued')
         THEN c.at + INTERVAL '1 day' END,
    CASE WHEN c.status IN ('print_ready', 'printed', 'issued') AND NOT c.loaded
         THEN c.at + INTERVAL '5 days' END,
    CASE WHEN c.status IN ('printed', 'issued') AND NOT c.loaded
         THEN c.at + INTERVAL '6 days' END,
    CASE WHEN c.status = 'issued' THEN c.at + INTERVAL '9 days' END,
    CASE WHEN c.status IN ('issued', 'rejected', 'cancelled') THEN c.at + INTERVAL '9 days' END,
    CASE WHEN c.status = 'issued' AND NOT c.loaded THEN %(actor)s END,
    CASE WHEN c.status = 'issued' AND NOT c.loaded THEN 'sidik_jari' ELSE '' END, '', '', false
FROM carded AS c
LEFT JOIN stock_blank AS blank ON blank.serial = %(prefix)s || lpad(c.card::text, 9, '0')
"""

BLANKS_SQL = """
INSERT INTO stock_blank (serial, receipt_id, location_id, status, spoil_reason)
SELECT %(prefix)s || lpad(n::text, 9, '0'), %(receipt)s, %(location)s, 'used', ''
FROM generate_series(%(first)s, %(last)s) AS n
"""


def fill_residents(target: int) -> None:
    existing = Resident.objects.count()
    if existing >= target:
        print(f"Register holds {existing:,} residents; reusing them.")
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(RESIDENTS_SQL, {"first": existing + 1, "last": target})
    seconds = time.perf_counter() - started
    added = target - existing
    print(f"Seeded {added:,} residents in {seconds:.1f} s ({added / seconds:,.0f}/s)")


def fill_applications(target: int, actor) -> None:
    existing = CardApplication.objects.count()
    if existing >= target:
        print(f"{existing:,} applications already; reusing them.")
        return
    started = time.perf_counter()
    location, _ = Location.objects.get_or_create(
        name="Mesin Cetak Bench", defaults={"kind": LocationKind.PRINTER}
    )
    receipt, _ = Receipt.objects.get_or_create(
        reference="BAST-BENCH",
        defaults={
            "received_on": "2020-01-27",
            "source": "apbn",
            "quantity": target,
            "serial_first": f"{BLANK_PREFIX}000000001",
            "serial_last": f"{BLANK_PREFIX}{target:09d}",
            "location": location,
            "received_by": actor,
        },
    )
    params = {"prefix": BLANK_PREFIX, "receipt": receipt.pk, "location": location.pk}
    blanks = receipt.blanks.count()
    cards_before = CardApplication.objects.filter(blank__receipt=receipt).count()
    with connection.cursor() as cursor:
        # A fifth of the applications are cards printed here; each takes one used blank.
        cursor.execute(BLANKS_SQL, {**params, "first": blanks + 1, "last": target // 4})
        cursor.execute(
            APPLICATIONS_SQL,
            {
                **params,
                "cards_before": cards_before,
                "first": existing + 1,
                "last": target,
                "loaded": int(target * SIAK_SHARE),
                "siak_at": SIAK_LOADED_AT,
                "actor": actor.pk,
            },
        )
    seconds = time.perf_counter() - started
    added = target - existing
    print(f"Seeded {added:,} applications in {seconds:.1f} s ({added / seconds:,.0f}/s)")


def analyze() -> None:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ("registry_resident", "registry_cardapplication", "stock_blank"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        # Kelurahan and kecamatan too, as autovacuum would have by now.
        cursor.execute("ANALYZE")
    print(f"VACUUM ANALYZE took {time.perf_counter() - started:.1f} s")


def client_as(role: str) -> Client:
    user, _ = get_user_model().objects.get_or_create(
        username=f"bench-{role.lower().replace(' ', '-')}", defaults={"is_staff": True}
    )
    user.groups.set([Group.objects.get(name=role)])
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    return client


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
        # The page's rows: the one query that orders and pages.
        self.list_sql = next(
            q["sql"]
            for q in queries.captured_queries
            if "ORDER BY" in q["sql"] and " LIMIT " in q["sql"]
        )

    def sorted_rows(self) -> str:
        """The rows each Sort node of the list query's plan sorted ("—" for none)."""
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
