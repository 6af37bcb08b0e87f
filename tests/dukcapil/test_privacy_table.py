"""One table of role × place for the protected personal data (NIK, No. KK, birth date, a
would-be collector's NIK): on every page and export that shows them, each role sees them in
full, masked (537101******0001 and a birth year), or not at all.

The design (dukcapil/privacy.py, docs/security.md): roles with ``registry.view_full_nik`` see
full values; the others see masks. The Petugas Penyerahan sees one applicant in full on the
handover desk of a printed card, and only there. The public announcement of cards waiting to
be collected is masked for everyone. The records are built once for the module; every case
runs in its own savepoint, so the audit entries of a full view are undone.
"""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from dukcapil import roles
from dukcapil.privacy import mask_birth_date, mask_number
from registry.lifecycle import REQUIRED_DOCUMENTS
from registry.models import ApplicationStatus, HandoverRefusal
from registry.selectors.applications import desk_statuses
from registry.services.applications import application_submit, berkas_check
from registry.services.printing import card_print
from registry.services.recording import application_record, central_result_apply
from registry.services.suket import suket_issue
from stock.models import Location, LocationKind
from stock.services import blanks_transfer, receipt_create
from tests.registry.factories import make_resident

REG, REC, PRT, HND = roles.REGISTRATION, roles.RECORDING, roles.PRINTING, roles.HANDOVER
BLK, SUP, ADM = roles.BLANKS, roles.SUPERVISOR, roles.ADMINISTRATOR
ROLES = (REG, REC, PRT, HND, BLK, SUP, ADM)

FULL, MASKED, NONE = "full", "masked", "no access"
NIK, KK, BORN, PROXY = "nik", "kk_number", "birth_date", "proxy_nik"

# NIK = region, birth date (ddmmyy), serial; every resident has numbers of their own.
PEOPLE = {
    "submitted": ("5371012701900001", "5371012001150003", dt.date(1990, 1, 27)),
    "verified": ("5371011502850002", "5371012001150013", dt.date(1985, 2, 15)),
    "print_ready": ("5371010308770003", "5371012001150023", dt.date(1977, 8, 3)),
    "printed": ("5371011112690004", "5371012001150033", dt.date(1969, 12, 11)),
    "walk_in": ("5371012204950005", "5371012001150043", dt.date(1995, 4, 22)),
}
PROXY_NIK = "5371010101800001"


@dataclass(frozen=True)
class Place:
    name: str
    url: str  # URL name
    subject: str  # whose data the place shows: a key of PEOPLE, or "proxy"
    fields: tuple[str, ...]
    seen: dict  # role → FULL / MASKED / NONE
    args: tuple[str, ...] = ()  # world keys
    query: str = ""


def _row(full=(), masked=()) -> dict:
    return {role: FULL if role in full else MASKED if role in masked else NONE for role in ROLES}


# The table. A subject of "desk" is the application on the asking role's own desk list.
TABLE = [
    Place(
        "daftar penduduk",
        "admin:registry_resident_changelist",
        "submitted",
        (NIK, KK, BORN),
        _row(full=(REG, REC, SUP, ADM), masked=(PRT, HND)),
    ),
    Place(
        "halaman penduduk",
        "admin:registry_resident_change",
        "submitted",
        (NIK, KK, BORN),
        _row(full=(REG, REC, SUP, ADM), masked=(PRT, HND)),
        args=("resident",),
    ),
    Place(
        "riwayat penduduk",
        "admin:registry_resident_simple_history",
        "submitted",
        (NIK, KK, BORN),
        _row(full=(REG, REC, SUP, ADM)),
        args=("resident", "resident_history"),
    ),
    Place(
        "ekspor penduduk (CSV)",
        "admin:registry_resident_export",
        "submitted",
        (NIK, KK, BORN),
        _row(full=(SUP, ADM)),
        args=("csv",),
    ),
    Place(
        "daftar permohonan",
        "admin:registry_cardapplication_changelist",
        "desk",
        (NIK,),
        _row(full=(REG, REC, SUP), masked=(PRT, HND)),
    ),
    Place(
        "meja permohonan (belum tercetak)",
        "admin:registry_cardapplication_change",
        "submitted",
        (NIK, KK, BORN),
        _row(full=(REG, REC, SUP), masked=(PRT, HND)),
        args=("submitted",),
    ),
    Place(
        "meja penyerahan (tercetak)",
        "admin:registry_cardapplication_change",
        "printed",
        (NIK, KK, BORN),
        _row(full=(REG, REC, HND, SUP), masked=(PRT,)),
        args=("printed",),
    ),
    Place(
        "mulai permohonan (dari halaman penduduk)",
        "admin:registry_cardapplication_add",
        "walk_in",
        (NIK,),
        _row(full=(REG,)),
        query="resident={walk_in}",
    ),
    Place(
        "tanda terima pendaftaran",
        "admin:registry_cardapplication_print_receipt",
        "submitted",
        (NIK,),
        _row(full=(REG, SUP)),
        args=("submitted",),
    ),
    Place(
        "suket",
        "admin:registry_cardapplication_print_suket",
        "printed",
        (NIK, BORN),
        _row(full=(REG, SUP)),
        args=("printed",),
    ),
    Place(
        "antrean pengambilan",
        "admin:registry_collectionqueueentry_changelist",
        "printed",
        (NIK,),
        _row(full=(SUP,), masked=(HND,)),
    ),
    Place(
        "pengumuman siap diambil (CSV)",
        "admin:registry_collectionqueueentry_announcement",
        "printed",
        (NIK,),
        _row(masked=(HND, SUP)),
        args=("csv",),
    ),
    Place(
        "indikator calo",
        "admin:registry_broker_indicators",
        "proxy",
        (PROXY,),
        _row(full=(SUP,)),
    ),
    Place(
        "daftar penolakan pengambilan",
        "admin:registry_handoverrefusal_changelist",
        "proxy",
        (PROXY,),
        _row(full=(SUP,)),
    ),
]


def _user(role: str):
    user = get_user_model().objects.create_user(
        username=role.lower().replace(" ", "-"), password="rahasia-uji-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def _world() -> dict:
    people = {role: _user(role) for role in ROLES}
    registration, recording = people[REG], people[REC]
    store = Location.objects.create(kind=LocationKind.STORE, name="Gudang Dukcapil")
    station = Location.objects.create(kind=LocationKind.PRINTER, name="Mesin Cetak 1")
    receipt_create(
        received_on=timezone.localdate(),
        source="apbn",
        reference="BAST-001/2020",
        quantity=2,
        serials="KTP0001-KTP0002",
        location=store,
        actor=people[BLK],
        unit_cost=13_333,
    )
    blanks_transfer(
        serials=["KTP0001", "KTP0002"], from_location=store, to_location=station, actor=people[BLK]
    )
    residents = {
        key: make_resident(nik=nik, kk_number=kk, birth_date=born, full_name=f"PENDUDUK {i}")
        for i, (key, (nik, kk, born)) in enumerate(PEOPLE.items(), start=1)
    }

    def submitted(key):
        return application_submit(
            resident=residents[key],
            kind="baru",
            actor=registration,
            applicant_present=True,
            documents_present=REQUIRED_DOCUMENTS["baru"],
        )

    def verified(key):
        return berkas_check(
            application=submitted(key),
            verified_kinds=REQUIRED_DOCUMENTS["baru"],
            actor=registration,
        )

    def print_ready(key):
        return central_result_apply(
            application=application_record(application=verified(key), actor=recording),
            to_status=ApplicationStatus.PRINT_READY,
            actor=recording,
        )

    applications = {
        "submitted": submitted("submitted"),
        "verified": verified("verified"),
        "print_ready": print_ready("print_ready"),
    }
    waiting = print_ready("printed")
    # A suket issued before the card was printed, on a day without a blank to spare.
    with override_settings(DUKCAPIL_SUKET_REFUSED_WHILE_STOCK=False):
        suket_issue(application=waiting, actor=registration)
    applications["printed"] = card_print(
        application=waiting, blank_serial="KTP0001", station=station, operator=people[PRT]
    )
    HandoverRefusal.objects.create(
        application=applications["printed"],
        at=timezone.now(),
        actor=people[HND],
        proxy_name="KETUA RT",
        proxy_nik=PROXY_NIK,
        reason="Bukan pemilik kartu.",
    )
    sessions = {}
    for role, user in people.items():
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    resident = residents["submitted"]
    return {
        "people": people,
        "sessions": sessions,
        "applications": applications,
        "resident": resident.pk,
        "resident_history": resident.history.order_by("history_id").first().history_id,
        "submitted": applications["submitted"].pk,
        "printed": applications["printed"].pk,
        "walk_in": residents["walk_in"].pk,
        "csv": "csv",
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _world()
        transaction.set_rollback(True)


@pytest.fixture
def db(world):
    """A savepoint inside the module's transaction (pytest-django's ``db`` still makes the
    test database)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _full_date(born: dt.date) -> re.Pattern:
    """A birth date written with its day and month, in any of the ways a page or file might."""
    day, month, year = born.day, born.month, born.year
    return re.compile(
        rf"(?<!\d)0?{day}[-/ .]+(0?{month}|[A-Za-z]+\.?)[-/ .,]+{year}(?!\d)"
        rf"|{born.isoformat()}"
    )


def _values(subject: str) -> dict:
    if subject == "proxy":
        return {PROXY: PROXY_NIK}
    nik, kk, born = PEOPLE[subject]
    return {NIK: nik, KK: kk, BORN: born}


def _subject(place: Place, world: dict, role: str) -> str:
    if place.subject != "desk":
        return place.subject
    statuses = desk_statuses(world["people"][role])
    # A role without a desk list asks for the registration desk's one.
    mine = (key for key, a in world["applications"].items() if a.status in statuses)
    return next(mine, "submitted")


def _shown_full(field: str, value, text: str) -> bool:
    return bool(_full_date(value).search(text)) if field == BORN else value in text


def _masked(field: str, value) -> str:
    return mask_birth_date(value) if field == BORN else mask_number(value)


CASES = [pytest.param(place, role, id=f"{place.name}-{role}") for place in TABLE for role in ROLES]


@pytest.mark.parametrize(("place", "role"), CASES)
def test_a_role_sees_protected_data_as_the_table_says(db, world, place, role):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    url = reverse(place.url, args=[world[a] for a in place.args])
    if place.query:
        url = f"{url}?{place.query.format_map(world)}"
    response = client.get(url)
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()
    values = {f: v for f, v in _values(_subject(place, world, role)).items() if f in place.fields}
    expected = place.seen[role]

    if expected == NONE:
        assert response.status_code in (302, 403, 404), response.status_code
        if response.status_code == 302:
            assert not response["Location"].startswith(url)
    else:
        assert response.status_code == 200, response.status_code
    for field, value in values.items():
        if expected == FULL:
            assert _shown_full(field, value, body), f"{field} not shown in full"
        else:
            assert not _shown_full(field, value, body), f"{field} shown in full"
        if expected == MASKED:
            assert _masked(field, value) in body, f"{field} not shown masked"


# Places outside the table because they show an uploaded file back to the one who uploaded it:
# the resident import's preview and its file of rejected rows. They show the file's numbers in
# full, so only roles that see full numbers anywhere may import at all.
FILE_PLACES_PERMISSION = "registry.import_resident"


def test_only_roles_that_see_full_numbers_may_preview_an_imported_file():
    granted = roles.role_permissions()
    importers = {role for role, codes in granted.items() if FILE_PLACES_PERMISSION in codes}
    assert importers == {SUP, ADM}
    assert all("registry.view_full_nik" in granted[role] for role in importers)
