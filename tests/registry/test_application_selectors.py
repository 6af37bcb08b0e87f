"""What the desks, the collection queue and the campaign dashboard read about applications."""

import datetime as dt

import pytest
from django.utils import timezone

from registry.models import ApplicationStatus, Campaign
from registry.selectors.applications import (
    collection_queue,
    desk_statuses,
    open_application,
    resident_recorded_before,
)
from registry.selectors.campaign import campaign_pace
from registry.services.siak_load import applications_load_from_siak
from tests.registry.factories import make_resident, nik_for

S = ApplicationStatus
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "statuses"),
    [
        ("registration", [S.SUBMITTED]),
        ("recording", [S.VERIFIED, S.RECORDED, S.ENROLL_FAILED, S.DUPLICATE]),
        ("printing", [S.PRINT_READY]),
        ("handover", [S.PRINTED]),
        ("keeper", []),
        ("supervisor", list(S.values)),
    ],
)
def test_each_desk_lists_the_applications_waiting_for_it(staff, role, statuses):
    assert desk_statuses(staff[role]) == statuses


def test_the_collection_queue_lists_printed_cards_oldest_first(
    apply, advance, stock_in, monkeypatch
):
    stock_in()
    backlog = make_resident(nik=nik_for(1), siak_record_status=4)
    applications_load_from_siak()  # loaded today: waiting since today
    week_ago = timezone.now() - dt.timedelta(days=7)
    with monkeypatch.context() as m:
        m.setattr(timezone, "now", lambda: week_ago)
        old = advance(apply(make_resident(nik=nik_for(2))), S.PRINTED)
    recent = advance(apply(make_resident(nik=nik_for(3))), S.PRINTED)
    advance(apply(make_resident(nik=nik_for(4))), S.ISSUED)

    queue = list(collection_queue())

    assert [a.pk for a in queue] == [old.pk, backlog.applications.get().pk, recent.pk]
    assert queue[0].waiting_since == old.printed_at


def test_campaign_pace_counts_this_offices_work_since_the_start(
    apply, advance, stock_in, monkeypatch
):
    stock_in()
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Percepatan KTP-el", target=40_000, start=today, end=today + dt.timedelta(days=90)
    )
    with monkeypatch.context() as m:
        before = timezone.now() - dt.timedelta(days=2)
        m.setattr(timezone, "now", lambda: before)
        advance(apply(make_resident(nik=nik_for(1))), S.ISSUED)
    make_resident(nik=nik_for(2), siak_record_status=8)
    applications_load_from_siak()  # the SIAK backlog is not this campaign's work
    advance(apply(make_resident(nik=nik_for(3))), S.ISSUED)
    advance(apply(make_resident(nik=nik_for(4))), S.PRINTED)
    advance(apply(make_resident(nik=nik_for(5))), S.RECORDED)

    progress = campaign_pace(campaign)

    assert (progress.recorded, progress.printed, progress.issued) == (3, 2, 1)
    assert progress.issued_share == 1 / 40_000


def test_recorded_before_and_open_application(apply, advance, resident, stock_in):
    assert not resident_recorded_before(resident) and open_application(resident) is None
    application = advance(apply(resident), S.RECORDED)
    assert resident_recorded_before(resident) and open_application(resident) == application
    assert resident_recorded_before(make_resident(nik=nik_for(9), siak_record_status=3))
    assert not resident_recorded_before(make_resident(nik=nik_for(8), siak_record_status=2))
