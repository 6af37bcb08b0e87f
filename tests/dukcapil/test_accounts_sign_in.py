"""Signing in: lockout after repeated failures, every attempt recorded, idle sessions end."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from dukcapil import settings as installed_settings
from dukcapil.models import AuditAction, AuditEntry
from dukcapil.roles import PRINTING, SUPERVISOR

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-uji-123"
LOGIN = reverse("admin:login")


def _login(client, username: str, password: str, address: str = "10.0.0.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_wrong_password_is_refused_in_indonesian_and_recorded(client, make_user):
    supervisor = make_user(SUPERVISOR)
    response = _login(client, supervisor.username, "salah-sekali-123")
    assert response.status_code == 200
    assert "Masukkan nama pengguna" in response.content.decode()
    assert not _signed_in(client)
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (entry.actor, entry.actor_username, entry.ip) == (
        supervisor,
        supervisor.username,
        "10.0.0.7",
    )
    assert "salah-sekali" not in str(entry.detail) + entry.object_repr


def test_a_failed_login_for_an_unknown_name_keeps_the_typed_name(client):
    _login(client, "tamu", "apa-saja-123456")
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (entry.actor, entry.actor_username) == (None, "tamu")


def test_login_and_logout_are_recorded(client, make_user):
    clerk = make_user(PRINTING)
    assert _login(client, clerk.username, PASSWORD).status_code == 302
    assert _signed_in(client)
    client.post(reverse("admin:logout"))
    assert not _signed_in(client)
    actions = list(
        AuditEntry.objects.filter(actor=clerk).order_by("pk").values_list("action", flat=True)
    )
    assert actions == [AuditAction.LOGIN, AuditAction.LOGOUT]


def test_five_wrong_passwords_lock_the_user_name_even_for_the_right_one(client, make_user):
    supervisor = make_user(SUPERVISOR)
    answers = [
        _login(client, supervisor.username, f"tebakan-ke-{n}-xyz", address=f"10.0.1.{n}")
        for n in range(5)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert "Akun dikunci sementara" in answers[-1].content.decode()

    right = _login(client, supervisor.username, PASSWORD, address="10.0.2.1")
    assert right.status_code == 429
    assert "Coba lagi setelah 15 menit" in right.content.decode()
    assert not _signed_in(client)
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 6
    lockout = AuditEntry.objects.filter(action=AuditAction.LOCKOUT).first()
    assert (lockout.actor, lockout.actor_username) == (supervisor, supervisor.username)
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN).exists()


def test_five_failures_from_one_address_lock_that_address(client, make_user):
    clerk = make_user(PRINTING)
    for name in ("andi", "budi", "citra", "dewi", "eko"):
        _login(client, name, "coba-coba-12345", address="10.0.3.9")
    assert _login(client, clerk.username, PASSWORD, address="10.0.3.9").status_code == 429
    assert not _signed_in(client)
    # The same clerk at another desk is not punished for someone else's guesses.
    assert _login(client, clerk.username, PASSWORD, address="10.0.4.1").status_code == 302
    assert _signed_in(client)


def test_the_lock_lifts_after_the_cool_off(client, make_user, settings):
    clerk = make_user(PRINTING)
    for n in range(5):
        _login(client, clerk.username, f"tebakan-ke-{n}-xyz")
    settings.AXES_COOLOFF_TIME = timedelta(seconds=0)
    assert _login(client, clerk.username, PASSWORD).status_code == 302


@override_settings(SESSION_SAVE_EVERY_REQUEST=True)
def test_a_session_ends_after_thirty_idle_minutes(client, make_user):
    client.force_login(make_user(PRINTING))
    assert client.get(reverse("admin:index")).status_code == 200
    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@override_settings(SESSION_SAVE_EVERY_REQUEST=True)
def test_each_request_pushes_the_end_back_and_the_cookie_dies_with_the_browser(client, make_user):
    client.force_login(make_user(PRINTING))
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=29)
    assert response.cookies["sessionid"]["max-age"] == ""
    # The test suite switches the refresh off (tests/conftest.py); an installation has it on.
    assert installed_settings.SESSION_SAVE_EVERY_REQUEST


def test_it_records_a_change_of_ones_own_password(client, make_user):
    clerk = make_user(PRINTING)
    client.force_login(clerk)
    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": "rahasia-uji-123",
            "new_password1": "kata-sandi-baru-yang-panjang",
            "new_password2": "kata-sandi-baru-yang-panjang",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.USER_CHANGE)
    assert (entry.actor, entry.detail) == (clerk, {"fields": ["password"], "own": True})
