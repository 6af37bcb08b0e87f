"""The cast of the application desks: one clerk per role, a printer station with blanks, and
a helper that walks an application through the services to the status a test starts from."""

import pytest
from django.utils import timezone

from registry.lifecycle import OLD_CARD_RETURNED, REQUIRED_DOCUMENTS
from registry.models import ApplicationStatus, CardApplication, Resident
from registry.selectors.applications import resident_recorded_before
from registry.services.applications import application_submit, berkas_check
from registry.services.handover import card_hand_over
from registry.services.printing import card_print
from registry.services.recording import application_record, central_result_apply
from stock.models import Blank, BlankStatus, Location, LocationKind
from stock.serials import serials_parse
from stock.services import blanks_transfer, receipt_create
from tests.registry.factories import make_resident

S = ApplicationStatus


@pytest.fixture
def staff(make_user):
    return {
        "registration": make_user("Petugas Pendaftaran"),
        "recording": make_user("Operator Perekaman"),
        "printing": make_user("Operator Cetak"),
        "handover": make_user("Petugas Penyerahan"),
        "keeper": make_user("Pengelola Blanko"),
        "supervisor": make_user("Kepala Seksi"),
        "administrator": make_user("Administrator"),
    }


@pytest.fixture
def store(db):
    return Location.objects.create(kind=LocationKind.STORE, name="Gudang Dukcapil")


@pytest.fixture
def station(db):
    return Location.objects.create(kind=LocationKind.PRINTER, name="Mesin Cetak 1")


@pytest.fixture
def stock_in(store, station, staff):
    """Receive blanks into the store room and, unless told otherwise, move them to the station:
    ``stock_in("KTP0001-KTP0005")``."""

    def make(serials: str = "KTP0001-KTP0005", *, at: Location | None = None) -> list[str]:
        at = at or station
        receipt_create(
            received_on=timezone.localdate(),
            source="apbn",
            reference=f"BAST-{serials}",
            quantity=len(serials_parse(serials)),
            serials=serials,
            location=store,
            actor=staff["keeper"],
            unit_cost=13_333,
        )
        listed = serials_parse(serials)
        if at != store:
            blanks_transfer(
                serials=listed, from_location=store, to_location=at, actor=staff["keeper"]
            )
        return listed

    return make


@pytest.fixture
def resident(db) -> Resident:
    return make_resident()


@pytest.fixture
def apply(staff):
    """Submit an application for a resident in person, with every document it needs."""

    def submit(resident: Resident, kind: str = "baru", **fields) -> CardApplication:
        fields.setdefault("documents_present", REQUIRED_DOCUMENTS[kind])
        return application_submit(
            resident=resident,
            kind=kind,
            actor=staff["registration"],
            applicant_present=True,
            **fields,
        )

    return submit


@pytest.fixture
def advance(staff, station):
    """Bring an application to ``status`` along the main path, one service at a time."""

    def step(application: CardApplication) -> CardApplication:
        status = application.status
        if status == S.SUBMITTED:
            return berkas_check(
                application=application,
                verified_kinds=REQUIRED_DOCUMENTS[application.kind],
                actor=staff["registration"],
            )
        if status == S.VERIFIED and not resident_recorded_before(application.resident):
            return application_record(application=application, actor=staff["recording"])
        if status in (S.VERIFIED, S.RECORDED):
            return central_result_apply(
                application=application, to_status=S.PRINT_READY, actor=staff["recording"]
            )
        if status == S.PRINT_READY:
            blank = (
                Blank.objects.filter(status=BlankStatus.IN_STOCK, location=station)
                .order_by("serial")
                .first()
            )
            assert blank, "no blank left at the station: call stock_in() first"
            return card_print(
                application=application,
                blank_serial=blank.serial,
                station=station,
                operator=staff["printing"],
            )
        if status == S.PRINTED:
            return card_hand_over(
                application=application,
                actor=staff["handover"],
                verification_method="sidik_jari",
                old_card_collected=application.kind in OLD_CARD_RETURNED,
            )
        raise AssertionError(f"no step forward from {status}")

    def bring(application: CardApplication, status: str) -> CardApplication:
        path = [S.SUBMITTED, S.VERIFIED, S.RECORDED, S.PRINT_READY, S.PRINTED, S.ISSUED]
        while application.status != status:
            application = step(application)
            assert path.index(application.status) <= path.index(status), "went past it"
        return application

    return bring
