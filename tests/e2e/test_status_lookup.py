"""A resident on a 375 px phone checks their e-KTP: first a typing slip, then the answer;
and finds their card in the list of their kelurahan."""

import datetime as dt

import pytest

from registry.models import ApplicationStatus, CardApplication
from tests.registry.factories import make_resident

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

PHONE = {"width": 375, "height": 667}


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="id-ID", timezone_id="Asia/Makassar", viewport=PHONE, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def card_waiting(make_user):
    """A card printed before this system, loaded from SIAK, waiting since 3 February 2020."""
    resident = make_resident(full_name="MARIA MAGDALENA KRISTIANI NDOLU MANAFE")
    at = dt.datetime(2020, 2, 3, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return CardApplication.objects.create(
        resident=resident,
        kind="baru",
        status=ApplicationStatus.PRINTED,
        applicant_present=True,
        loaded_from_siak=True,
        submitted_by=make_user("Petugas Pendaftaran"),
        submitted_at=at,
        printed_at=at,
    )


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_resident_checks_their_card_on_a_phone(phone, live_server, card_waiting, accessibility):
    phone.goto(f"{live_server.url}/cek-ktp/")
    accessibility(phone)
    assert _fits(phone)

    phone.get_by_label("NIK").fill("5371 0127 0190 0001")
    phone.get_by_label("Tanggal lahir").fill("1990-01-27")
    phone.get_by_role("button", name="Cek status").click()
    assert "Tulis tanggal lahir sebagai HH-BB-TTTT" in phone.get_by_role("alert").inner_text()
    accessibility(phone)

    phone.get_by_label("NIK").fill("5371 0127 0190 0001")
    phone.get_by_label("Tanggal lahir").fill("27-01-1990")
    phone.get_by_role("button", name="Cek status").click()

    heading = phone.get_by_role("heading", level=2).first.inner_text()
    assert heading == "Siap diambil di loket penyerahan Dinas Dukcapil sejak 3 Februari 2020"
    assert "Tanda terima permohonan KTP-el." in phone.locator(".bring").inner_text()
    assert "MARIA" not in phone.content()
    assert phone.get_by_label("NIK").input_value() == ""  # nothing left for the next person
    assert "nik=" not in phone.url
    accessibility(phone)
    assert _fits(phone)


def test_a_resident_finds_their_card_in_their_kelurahan_s_list(
    phone, live_server, card_waiting, accessibility
):
    phone.goto(f"{live_server.url}/siap-diambil/")
    accessibility(phone)
    phone.get_by_label("Kelurahan").select_option(label="Namosain")
    phone.get_by_role("button", name="Tampilkan").click()

    row = phone.locator("table.ready tbody tr").first
    assert "537101******0001" in row.inner_text()
    assert "MARIA MAGDALENA" in row.inner_text()
    assert card_waiting.resident.nik not in phone.content()
    accessibility(phone)
    assert _fits(phone)
