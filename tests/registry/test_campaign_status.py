"""``manage.py campaign_status [--json]``: the campaign's figures for a terminal or a script."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from registry.models import ApplicationEvent, ApplicationStatus, Campaign, CardApplication
from tests.registry.factories import make_resident

S = ApplicationStatus
pytestmark = pytest.mark.django_db

KEYS = [
    "target",
    "start",
    "end",
    "as_of",
    "recorded",
    "printed",
    "issued",
    "issued_per_day_7d",
    "required_per_day",
    "projected_completion",
    "blanks_in_stock",
    "blank_days_left",
]


@pytest.fixture
def campaign(db):
    Campaign.objects.all().delete()
    today = timezone.localdate()
    return Campaign.objects.create(
        name="Percepatan KTP-el",
        target=100,
        start=today - dt.timedelta(days=20),
        end=today + dt.timedelta(days=30),
    )


def _status(*args) -> str:
    out = StringIO()
    call_command("campaign_status", *args, stdout=out)
    return out.getvalue()


def _issue(staff, n: int, days_ago: int) -> None:
    application = CardApplication.objects.create(
        resident=make_resident(),
        kind="baru",
        status=S.RECORDED,
        applicant_present=True,
        submitted_by=staff["registration"],
        submitted_at=timezone.now() - dt.timedelta(days=25),
    )
    at = timezone.now() - dt.timedelta(days=days_ago)
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(
            application=application,
            from_status=S.PRINTED,
            to_status=S.ISSUED,
            actor=staff["handover"],
            at=at,
        )
        for _ in range(n)
    )


def test_json_is_one_object_with_the_agreed_keys(campaign, staff):
    _issue(staff, 14, days_ago=3)

    status = json.loads(_status("--json"))

    today = timezone.localdate()
    assert list(status) == KEYS
    assert status["target"] == 100
    assert status["start"] == campaign.start.isoformat()
    assert status["end"] == campaign.end.isoformat()
    assert dt.datetime.fromisoformat(status["as_of"]).utcoffset() == dt.timedelta(hours=8)
    assert (status["recorded"], status["printed"], status["issued"]) == (0, 0, 14)
    assert status["issued_per_day_7d"] == 2.0
    assert status["required_per_day"] == 3  # 86 over 30 days, rounded up
    assert status["projected_completion"] == (today + dt.timedelta(days=43)).isoformat()
    assert (status["blanks_in_stock"], status["blank_days_left"]) == (0, None)


def test_no_pace_gives_no_projected_date(campaign):
    status = json.loads(_status("--json"))

    assert status["issued_per_day_7d"] == 0
    assert status["projected_completion"] is None


def test_the_text_names_each_figure_in_indonesian(campaign, staff):
    _issue(staff, 7, days_ago=2)

    text = _status()

    for label in ("Target", "Mulai", "Selesai", "Diserahkan", "Laju diperlukan", "Stok blanko"):
        assert label in text
    assert "100 orang" in text
    assert "tidak tercapai pada tanggal target" in text  # one a day, 93 left, 30 days


def test_without_a_campaign_it_says_so(db):
    Campaign.objects.all().delete()

    with pytest.raises(CommandError, match="Belum ada kampanye"):
        _status()
