"""One resident's whole journey through the four desks, in a real browser."""

import pytest
from django.utils import timezone

from registry.models import ApplicationStatus, CardApplication
from stock.models import Blank, BlankStatus, Location, LocationKind
from stock.services import receipt_create
from tests.registry.factories import make_resident

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

PASSWORD = "rahasia-uji-123"


@pytest.fixture
def desk_login(browser, live_server):
    contexts = []

    def login(username: str):
        context = browser.new_context(locale="id-ID", timezone_id="Asia/Makassar")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/admin/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        return page

    yield login
    for context in contexts:
        context.close()


def test_a_resident_goes_from_berkas_to_card_in_hand(desk_login, live_server, make_user):
    for role, username in [
        ("Petugas Pendaftaran", "loket"),
        ("Operator Perekaman", "rekam"),
        ("Operator Cetak", "cetak"),
        ("Petugas Penyerahan", "serah"),
    ]:
        make_user(role, username=username)
    station = Location.objects.create(kind=LocationKind.PRINTER, name="Mesin Cetak 1")
    receipt_create(
        received_on=timezone.localdate(),
        source="apbn",
        reference="BAST-1/2020",
        quantity=3,
        serials="KTP0000001-KTP0000003",
        location=station,
        actor=make_user("Pengelola Blanko", username="blanko"),
    )
    resident = make_resident()
    applications = f"{live_server.url}/admin/registry/cardapplication/"

    # Registration desk: find by NIK, take the application, check the berkas.
    page = desk_login("loket")
    page.goto(applications)
    page.locator(".object-tools a.addlink").click()
    page.fill("#id_nik", resident.nik)
    page.get_by_role("button", name="Cari penduduk").click()
    page.select_option("#id_kind", "baru")
    page.check("#id_applicant_present")
    page.get_by_label("Kartu Keluarga").check()
    page.get_by_role("button", name="Terima permohonan").click()
    page.get_by_text("diterima.").wait_for()
    page.locator("#step-berkas").get_by_label("Kartu Keluarga").check()
    page.get_by_role("button", name="Periksa berkas").click()
    assert page.locator("#application-status").inner_text() == "Berkas lengkap"

    # Recording desk: recorded, then the PRR from the central system.
    page = desk_login("rekam")
    page.goto(applications)
    page.get_by_role("link", name=resident.full_name).click()
    page.get_by_role("button", name="Tandai sudah direkam").click()
    page.get_by_role("button", name="PRR dari pusat (siap cetak)").click()
    assert page.locator("#application-status").inner_text() == "Siap cetak (PRR)"

    # Print desk: scan the blank at the station.
    page = desk_login("cetak")
    page.goto(applications)
    page.get_by_role("link", name=resident.full_name).click()
    page.locator("#step-print").get_by_label("nomor seri blanko").fill("KTP0000002")
    page.locator("#step-print").get_by_role("button", name="Cetak").click()
    page.get_by_text("KTP-el tercetak.").wait_for()

    # Handover desk: find the card in the collection queue by NIK, verify, hand over.
    page = desk_login("serah")
    page.goto(f"{live_server.url}/admin/registry/collectionqueueentry/")
    page.fill("#searchbar", resident.nik)
    page.keyboard.press("Enter")
    page.locator("#result_list tbody a").first.click()
    page.select_option("#id_hand_over-verification_method", "sidik_jari")
    page.get_by_role("button", name="Serahkan KTP-el").click()
    page.get_by_text("KTP-el diserahkan.").wait_for()
    assert page.locator("#application-status").inner_text() == "Diserahkan"
    events = page.locator("#application-events tbody tr")
    assert events.count() == 6
    assert "Diserahkan" in events.last.inner_text()

    application = CardApplication.objects.get(resident=resident)
    assert application.status == ApplicationStatus.ISSUED
    assert application.blank.serial == "KTP0000002"
    assert Blank.objects.get(serial="KTP0000002").status == BlankStatus.USED
    assert Blank.objects.filter(status=BlankStatus.IN_STOCK).count() == 2
