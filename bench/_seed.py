"""Seeding shared by the benchmarks that need a big register: residents, applications and
their blanks, made in SQL (INSERT … SELECT generate_series) and reused when already there.

Import it after ``bench._setup.django_on_postgres()``: it imports the models.
"""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client

from registry.models import CardApplication, Resident
from stock.models import Location, LocationKind, Receipt

# Pages render without a collectstatic manifest, as in the tests.
STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# When SIAK's backlog was loaded: every loaded application carries this submitted_at.
SIAK_LOADED_AT = "2020-01-27 08:00:00+08"
SIAK_SHARE = 0.6
BLANK_PREFIX = "BENCH"
PRINTER = "Mesin Cetak Bench"  # where the bench's blanks are kept and used
CARD_RECEIPT = "BAST-BENCH"  # the receipt of the applications' blanks

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
        name=PRINTER, defaults={"kind": LocationKind.PRINTER}
    )
    receipt, _ = Receipt.objects.get_or_create(
        reference=CARD_RECEIPT,
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
