"""Two-step verification (TOTP) for Kepala Seksi, Administrator and superusers."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dukcapil.models import AuditAction, AuditEntry
from dukcapil.roles import ADMINISTRATOR, PRINTING, SUPERVISOR
from dukcapil.two_factor import backup_codes_issue, totp_device_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("otp_on")]

PASSWORD = "rahasia-uji-123"
INDEX = reverse("admin:index")
VERIFY = reverse("two_factor_verify")
SETUP = reverse("two_factor_setup")
RESIDENTS = reverse("admin:registry_resident_changelist")


@pytest.fixture
def otp_on():
    with override_settings(DUKCAPIL_OTP_REQUIRED=True):
        yield


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


@pytest.mark.parametrize("role", [SUPERVISOR, ADMINISTRATOR])
def test_a_new_key_holder_is_sent_to_setup_before_any_admin_page(client, make_user, role):
    client.force_login(make_user(role))
    for page in (INDEX, RESIDENTS, reverse("admin:password_change")):
        response = client.get(page)
        assert response.status_code == 302
        assert response.url.startswith(SETUP)


def test_a_superuser_is_asked_too(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password=PASSWORD))
    assert client.get(INDEX).url.startswith(SETUP)


def test_other_roles_are_not_asked(client, make_user):
    client.force_login(make_user(PRINTING))
    assert client.get(INDEX).status_code == 200


def test_other_roles_get_no_key_from_the_setup_page(client, make_user):
    clerk = make_user(PRINTING)
    client.force_login(clerk)
    response = client.get(SETUP)
    assert (response.status_code, response.url) == (302, INDEX)
    assert not TOTPDevice.objects.filter(user=clerk).exists()


def test_setup_shows_the_key_and_qr_and_a_code_links_the_app(client, make_user):
    supervisor = make_user(SUPERVISOR)
    client.force_login(supervisor)
    page = client.get(f"{SETUP}?next={RESIDENTS}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html
    assert "<script" not in html.split('id="otp-qr"')[1].split("</div>")[0]
    device = TOTPDevice.objects.get(user=supervisor, confirmed=False)
    key = re.search(r'id="otp-key">([A-Z2-7 ]+)<', html).group(1)
    assert key.replace(" ", "") in device.config_url

    done = client.post(f"{SETUP}?next={RESIDENTS}", {"token": _code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert f'href="{RESIDENTS}"' in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(RESIDENTS).status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.USER_CHANGE)
    assert (entry.actor, entry.detail) == (supervisor, {"fields": ["otp_device"]})


def test_a_wrong_code_at_setup_links_nothing(client, make_user):
    supervisor = make_user(SUPERVISOR)
    client.force_login(supervisor)
    client.get(SETUP)
    response = client.post(SETUP, {"token": "000000"})
    assert "Kode salah" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=supervisor, confirmed=True).exists()
    assert client.get(INDEX).url.startswith(SETUP)


@pytest.fixture
def linked(make_user):
    """A Kepala Seksi whose authenticator app is linked, with backup codes."""
    supervisor = make_user(SUPERVISOR)
    device = totp_device_create(user=supervisor, confirmed=True)
    return supervisor, device, backup_codes_issue(user=supervisor)


def test_a_linked_key_holder_enters_a_code_after_the_password(client, linked):
    supervisor, device, _ = linked
    signed_in = client.post(
        reverse("admin:login"), {"username": supervisor.username, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    asked = client.get(RESIDENTS)
    assert asked.url == f"{VERIFY}?next=%2Fadmin%2Fregistry%2Fresident%2F"
    assert client.get(asked.url).status_code == 200

    verified = client.post(asked.url, {"token": _code(device)})
    assert verified.status_code == 302
    assert verified.url == RESIDENTS
    assert client.get(RESIDENTS).status_code == 200
    second_factor = AuditEntry.objects.filter(action=AuditAction.LOGIN).order_by("pk").last()
    assert second_factor.detail == {"factor": "otp", "device": "TOTPDevice"}


def test_a_wrong_code_is_refused_and_recorded(client, linked):
    supervisor, _, _ = linked
    client.force_login(supervisor)
    response = client.post(VERIFY, {"token": "123456"})
    assert response.status_code == 200
    assert "Kode salah atau sudah dipakai" in response.content.decode()
    assert client.get(INDEX).url.startswith(VERIFY)
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (entry.actor, entry.detail) == (supervisor, {"factor": "otp"})


def test_a_backup_code_works_once(client, linked, make_user):
    supervisor, _, codes = linked
    client.force_login(supervisor)
    assert client.post(VERIFY, {"token": codes[0].upper()}).status_code == 302
    assert client.get(INDEX).status_code == 200

    client.logout()
    client.force_login(supervisor)
    again = client.post(VERIFY, {"token": codes[0]})
    assert again.status_code == 200
    assert client.get(INDEX).url.startswith(VERIFY)


def test_someone_with_only_the_password_cannot_link_another_phone(client, linked):
    supervisor, _, _ = linked
    client.force_login(supervisor)
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    assert client.post(SETUP, {"token": "123456"}).url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=supervisor).count() == 1


def test_signing_out_works_before_the_second_step(client, linked):
    supervisor, _, _ = linked
    client.force_login(supervisor)
    assert client.post(reverse("admin:logout")).status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_next_address_cannot_lead_off_the_site(client, linked):
    supervisor, device, _ = linked
    client.force_login(supervisor)
    response = client.post(f"{VERIFY}?next=https://contoh.example/", {"token": _code(device)})
    assert response.url == INDEX


def test_the_setting_switches_it_off(client, linked):
    supervisor, _, _ = linked
    client.force_login(supervisor)
    with override_settings(DUKCAPIL_OTP_REQUIRED=False):
        assert client.get(INDEX).status_code == 200
