"""Signing in with a second factor (the Kepala Seksi links an authenticator, then signs in
with a code), and the pages that refuse or find nothing: each passes axe-core."""

from base64 import b32decode

import pytest
from django.test import override_settings
from django_otp.oath import totp

from dukcapil.models import AuditAction, AuditEntry
from dukcapil.roles import PRINTING, SUPERVISOR

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

PASSWORD = "rahasia-uji-123"


def _sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def _code(key_text: str) -> str:
    return f"{totp(b32decode(key_text.replace(' ', ''))):06d}"


@override_settings(DUKCAPIL_OTP_REQUIRED=True)
def test_a_supervisor_links_an_authenticator_then_signs_in_with_a_code(
    page, live_server, make_user, accessibility
):
    supervisor = make_user(SUPERVISOR, username="kasi")

    _sign_in(page, live_server.url, "kasi")
    page.get_by_text("Pindai kode QR ini").wait_for()
    accessibility(page)
    key = page.locator("#otp-key").inner_text()
    page.fill("#id_token", _code(key))
    page.get_by_role("button", name="Aktifkan").click()
    page.get_by_role("heading", name="Kode cadangan").wait_for()
    accessibility(page)
    backup_code = page.locator("#backup-codes li").first.inner_text().strip()

    page.locator("#logout-form button").click()
    _sign_in(page, live_server.url, "kasi")
    page.get_by_role("heading", name="Verifikasi dua langkah").wait_for()
    accessibility(page)
    page.fill("#id_token", backup_code)
    page.get_by_role("button", name="Verifikasi").click()
    page.get_by_role("link", name="Log audit").wait_for()

    factors = AuditEntry.objects.filter(actor=supervisor, detail__factor="otp")
    assert list(factors.values_list("action", flat=True).order_by("at")) == [
        AuditAction.LOGIN,
        AuditAction.LOGIN,
    ]


@pytest.mark.parametrize(
    "address, status, words, way_back",
    [
        (
            "/admin/registry/resident/?nik__regex=(",
            400,
            "tidak dapat disaring",
            "Kembali ke halaman tanpa penyaring",
        ),
        (
            "/admin/registry/tidak-ada/",
            404,
            "Halaman atau data yang dicari tidak ada",
            "Kembali ke beranda",
        ),
    ],
    ids=["refused-lookup", "unknown-address"],
)
def test_a_refused_or_unknown_address_answers_an_accessible_page_in_indonesian(
    page, live_server, make_user, accessibility, address, status, words, way_back
):
    make_user(PRINTING, username="cetak")
    _sign_in(page, live_server.url, "cetak")
    page.get_by_role("link", name="Penduduk").first.wait_for()

    response = page.goto(f"{live_server.url}{address}")
    assert response.status == status
    page.get_by_text(words).wait_for()
    accessibility(page)
    page.get_by_role("link", name=way_back).click()
    page.get_by_role("link", name="Penduduk").first.wait_for()
