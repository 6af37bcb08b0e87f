"""Irreversible one-click steps at the recording desk ask first, then run the same service."""

import pytest
from django.urls import reverse

from registry.models import ApplicationStatus

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def recorded(apply, advance, resident):
    return advance(apply(resident), S.RECORDED)


def _desk(application):
    return reverse("admin:registry_cardapplication_change", args=[application.pk])


@pytest.mark.parametrize(
    ("step", "status", "consequence"),
    [
        ("duplicate", S.DUPLICATE, "berhenti sebagai data ganda"),
        ("enroll_failed", S.ENROLL_FAILED, "datang lagi untuk direkam ulang"),
    ],
)
def test_it_asks_first_and_changes_nothing_until_confirmed(
    client, staff, recorded, step, status, consequence
):
    client.force_login(staff["recording"])
    asked = client.post(_desk(recorded), {"step": step})
    page = asked.content.decode()
    recorded.refresh_from_db()

    assert asked.status_code == 200 and recorded.status == S.RECORDED
    assert consequence in page and "tidak dapat dibatalkan" in page
    assert f'href="{_desk(recorded)}">Batal</a>' in page
    assert f'name="step" value="{step}"' in page and 'name="confirmed"' in page

    done = client.post(_desk(recorded), {"step": step, "confirmed": "1"})
    recorded.refresh_from_db()
    assert done.status_code == 302 and recorded.status == status
    assert recorded.events.last().actor == staff["recording"]


def test_a_confirmation_left_open_after_someone_else_moved_it_changes_nothing(
    client, staff, recorded
):
    client.force_login(staff["recording"])
    client.post(_desk(recorded), {"step": "duplicate", "confirmed": "1"})
    late = client.post(_desk(recorded), {"step": "enroll_failed", "confirmed": "1"}, follow=True)
    recorded.refresh_from_db()
    assert recorded.status == S.DUPLICATE
    assert "tidak dapat dilakukan" in late.content.decode()


def test_a_reversible_step_still_takes_one_click(client, staff, recorded):
    client.force_login(staff["recording"])
    client.post(_desk(recorded), {"step": "prr"})
    recorded.refresh_from_db()
    assert recorded.status == S.PRINT_READY
