"""The documents the resident takes home, opened from the desk in a real browser."""

import pytest

from registry.lifecycle import REQUIRED_DOCUMENTS
from registry.models import ApplicationStatus
from registry.services.applications import application_submit, berkas_check
from registry.services.recording import application_record, central_result_apply
from registry.services.suket import suket_issue
from tests.registry.factories import make_resident

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

PASSWORD = "rahasia-uji-123"


@pytest.fixture
def waiting(make_user, settings):
    """Recorded and ready to print on a day without blanks, with a suket issued."""
    settings.DUKCAPIL_SUKET_REFUSED_WHILE_STOCK = False
    registration = make_user("Petugas Pendaftaran", username="loket")
    recording = make_user("Operator Perekaman", username="rekam")
    application = application_submit(
        resident=make_resident(),
        kind="baru",
        actor=registration,
        applicant_present=True,
        documents_present=REQUIRED_DOCUMENTS["baru"],
    )
    application = berkas_check(
        application=application, verified_kinds=REQUIRED_DOCUMENTS["baru"], actor=registration
    )
    application = application_record(application=application, actor=recording)
    application = central_result_apply(
        application=application, to_status=ApplicationStatus.PRINT_READY, actor=recording
    )
    return suket_issue(application=application, actor=registration)


def _desk(page, live_server, application):
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "loket")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/registry/cardapplication/{application.pk}/change/")


def _open(page, live_server, link: str):
    href = page.get_by_role("link", name=link).get_attribute("href")
    page.goto(f"{live_server.url}{href}")


def test_the_registration_receipt_prints_from_the_desk(page, live_server, waiting, accessibility):
    application = waiting.application
    _desk(page, live_server, application)
    _open(page, live_server, "Cetak tanda terima")

    sheet = page.locator("main.sheet")
    assert page.locator("#receipt-number").inner_text() == application.number
    assert "GRATIS" in sheet.inner_text() and "Cara mengecek status" in sheet.inner_text()
    assert page.get_by_role("button", name="Cetak").is_visible()
    accessibility(page)
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Cetak").is_visible()
    assert sheet.is_visible()


def test_the_suket_prints_from_the_desk(page, live_server, waiting, accessibility):
    _desk(page, live_server, waiting.application)
    _open(page, live_server, "Cetak suket")

    text = page.locator("main.sheet").inner_text()
    assert page.locator("#suket-number").inner_text() == waiting.number
    assert waiting.application.resident.nik in text
    assert "enam bulan" in page.locator("#suket-validity").inner_text()
    assert "a.n. Kepala Dinas Kependudukan dan Catatan Sipil Kota Kupang" in text
    accessibility(page)
