"""The handover desk in a real browser: a scanned number opens the desk, the clerk sees the
applicant in full (and it is recorded), and the next card waiting is one click away."""

import pytest
from django.utils import timezone

from dukcapil.models import AuditAction, AuditEntry
from registry.lifecycle import REQUIRED_DOCUMENTS
from registry.models import ApplicationStatus
from registry.services.applications import application_submit, berkas_check
from registry.services.printing import card_print
from registry.services.recording import application_record, central_result_apply
from stock.models import Location, LocationKind
from stock.services import receipt_create
from tests.registry.factories import make_resident, nik_for

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

PASSWORD = "rahasia-uji-123"


def _printed(resident, serial, *, clerks, station):
    application = application_submit(
        resident=resident,
        kind="baru",
        actor=clerks["loket"],
        applicant_present=True,
        documents_present=REQUIRED_DOCUMENTS["baru"],
    )
    berkas_check(
        application=application, verified_kinds=REQUIRED_DOCUMENTS["baru"], actor=clerks["loket"]
    )
    application_record(application=application, actor=clerks["rekam"])
    central_result_apply(
        application=application, to_status=ApplicationStatus.PRINT_READY, actor=clerks["rekam"]
    )
    return card_print(
        application=application, blank_serial=serial, station=station, operator=clerks["cetak"]
    )


@pytest.fixture
def cards_waiting(make_user):
    clerks = {
        "loket": make_user("Petugas Pendaftaran", username="loket"),
        "rekam": make_user("Operator Perekaman", username="rekam"),
        "cetak": make_user("Operator Cetak", username="cetak"),
        "serah": make_user("Petugas Penyerahan", username="serah"),
    }
    station = Location.objects.create(kind=LocationKind.PRINTER, name="Mesin Cetak 1")
    receipt_create(
        received_on=timezone.localdate(),
        source="apbn",
        reference="BAST-1/2020",
        quantity=2,
        serials="KTP0000001-KTP0000002",
        location=station,
        actor=make_user("Pengelola Blanko", username="blanko"),
    )
    first = _printed(make_resident(), "KTP0000001", clerks=clerks, station=station)
    second = _printed(
        make_resident(nik=nik_for(2), full_name="MARIA BENU", kk_number="5371012001150004"),
        "KTP0000002",
        clerks=clerks,
        station=station,
    )
    return clerks["serah"], first, second


def _login(page, live_server, username):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_a_scanned_nik_opens_the_handover_desk_with_the_full_identity(
    page, live_server, cards_waiting, accessibility
):
    clerk, first, second = cards_waiting
    _login(page, live_server, "serah")
    page.goto(f"{live_server.url}/admin/registry/collectionqueueentry/")
    # A barcode scanner types the number and presses Enter; people type it in groups.
    page.fill("#desk-scan-q", "5371 0127 0190 0001")
    page.keyboard.press("Enter")

    page.locator("#application-status").wait_for()
    assert page.url.endswith(f"/admin/registry/cardapplication/{first.pk}/change/")
    facts = page.locator(".desk-facts").first.inner_text()
    assert "5371012701900001" in facts and "5371012001150003" in facts
    assert "27-01-1990" in facts
    accessibility(page)
    entry = AuditEntry.objects.get(actor=clerk, action=AuditAction.VIEW_FULL_NIK)
    assert entry.detail["application"] == first.number

    page.select_option("#id_hand_over-verification_method", "wajah")
    page.get_by_role("button", name="Serahkan KTP-el").click()
    page.get_by_text("KTP-el diserahkan.").wait_for()
    page.get_by_role("link", name=f"Berikutnya: {second.number} · MARIA BENU").click()
    assert page.url.endswith(f"/admin/registry/cardapplication/{second.pk}/change/")


def test_a_scanned_application_number_opens_its_desk(page, live_server, cards_waiting):
    _clerk, _first, second = cards_waiting
    _login(page, live_server, "serah")
    page.goto(f"{live_server.url}/admin/registry/cardapplication/")
    page.fill("#desk-scan-q", second.number)
    page.keyboard.press("Enter")
    page.locator("#application-status").wait_for()
    assert page.url.endswith(f"/admin/registry/cardapplication/{second.pk}/change/")

    page.goto(f"{live_server.url}/admin/registry/collectionqueueentry/")
    page.fill("#desk-scan-q", "PKTP-9999999")
    page.keyboard.press("Enter")
    page.get_by_text("Permohonan “PKTP-9999999” tidak ditemukan.").wait_for()
    assert page.url.endswith("/admin/registry/collectionqueueentry/")
