"""Publishing a roster is irreversible: the page says what will happen and asks first."""

import datetime as dt

import pytest

from shifts.models import RosterStatus

pytestmark = pytest.mark.django_db


def test_it_asks_before_publishing_and_publishes_only_when_confirmed(
    client, supervisor, make_roster
):
    roster = make_roster(dt.date(2020, 1, 6), dt.date(2020, 1, 12))
    url = f"/admin/shifts/roster/{roster.pk}/terbitkan/"
    client.force_login(supervisor)

    page = client.post(url).content.decode()
    roster.refresh_from_db()
    assert roster.status == RosterStatus.DRAFT
    assert "tidak dapat dibatalkan" in page and "amandemen dengan alasan" in page
    assert f'href="/admin/shifts/roster/{roster.pk}/jadwal/">Batal</a>' in page

    client.post(url, {"confirmed": "1"})
    roster.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED and roster.published_by == supervisor


def test_the_grid_shows_the_publish_button_that_leads_to_the_question(
    client, supervisor, make_roster
):
    roster = make_roster(dt.date(2020, 1, 6), dt.date(2020, 1, 12))
    client.force_login(supervisor)
    grid = client.get(f"/admin/shifts/roster/{roster.pk}/jadwal/").content.decode()
    assert f'action="/admin/shifts/roster/{roster.pk}/terbitkan/"' in grid
