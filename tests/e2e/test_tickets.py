"""The queue in real browsers: a resident takes a number at the kiosk, a clerk calls it at a
desk, and the waiting-room display shows it within two seconds, with no personal data."""

import pytest

from registry.models import QueueTicket, ServiceDesk, TicketService

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

PASSWORD = "rahasia-uji-123"
NIK = "5371012701900001"


def _context_page(browser):
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Makassar")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_a_kiosk_ticket_called_at_a_desk_shows_on_the_display_within_two_seconds(
    page, browser, live_server, make_user, accessibility
):
    make_user("Petugas Pendaftaran", username="loket3")
    ServiceDesk.objects.create(number=3, service=TicketService.REGISTRATION)

    display = page
    display.goto(f"{live_server.url}/antrean/layar/")
    display.locator("#menunggu li").first.wait_for()
    accessibility(display)

    kiosk_context, kiosk = _context_page(browser)
    kiosk.goto(f"{live_server.url}/antrean/ambil/")
    accessibility(kiosk)
    kiosk.fill("#id_nik", NIK)
    kiosk.get_by_role("button", name="Pendaftaran & verifikasi berkas").click()
    assert kiosk.locator("#nomor").inner_text() == "A-001"
    assert "Tidak ada antrean di depan Anda" in kiosk.locator("#di-depan").inner_text()
    assert NIK not in kiosk.content()
    accessibility(kiosk)
    kiosk_context.close()

    desk_context, desk = _context_page(browser)
    desk.goto(f"{live_server.url}/admin/antrean/")
    desk.fill("#id_username", "loket3")
    desk.fill("#id_password", PASSWORD)
    desk.click("input[type=submit]")
    desk.get_by_role("link", name="Loket 3 — Pendaftaran & verifikasi berkas").click()
    desk.get_by_role("button", name="Panggil berikutnya").click()
    assert desk.locator("#nomor-dipanggil").inner_text() == "A-001"
    accessibility(desk)

    display.locator("#loket li", has_text="A-001").wait_for(timeout=2_000)
    assert "Loket 3" in display.locator("#loket li").first.inner_text()
    assert NIK not in display.content()
    accessibility(display)
    desk_context.close()
    assert QueueTicket.objects.get().status == "called"
