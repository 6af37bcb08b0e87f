"""The demo a newcomer sees first: a campaign mid-way, told by its event log and its ledger.

One seed serves the module (seeding takes several seconds); it is rolled back at the end.
"""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.test import override_settings
from django.utils import timezone

from registry.demo_history import BROKER_PHONE
from registry.lifecycle import allowed_moves
from registry.models import ApplicationEvent, Campaign, CardApplication, Resident, eligible_q
from registry.selectors.brokers import (
    off_duty_actions,
    refused_proxies,
    shared_helpers,
    shared_phones,
)
from registry.selectors.campaign import campaign_pace
from shifts.models import Roster
from shifts.selectors import on_duty
from stock.models import Blank, Destruction


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """A fresh demo, seeded at 10:00 on the demo's today."""
    moment = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(10)))
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        override_settings(SHIFTS_SOLVER_SECONDS=3),
        transaction.atomic(),
    ):
        patch.setattr(timezone, "now", lambda: moment)
        call_command("seed_demo", "--once", verbosity=0, stdout=StringIO())
        yield moment
        transaction.set_rollback(True)


def test_a_fresh_demo_is_a_campaign_mid_way_told_by_its_event_log(db, seeded):
    campaign = Campaign.objects.get()
    today = timezone.localdate()
    assert campaign.start == today - dt.timedelta(days=30)
    assert campaign.end - campaign.start == dt.timedelta(days=90)
    # A demo register is a sample of the city: its target is the sample's wajib KTP.
    wajib_ktp = Resident.objects.filter(eligible_q(campaign.start)).count()
    assert campaign.target == wajib_ktp // 100 * 100
    since = ApplicationEvent.objects.filter(
        at__gte=timezone.make_aware(dt.datetime.combine(campaign.start, dt.time.min))
    )
    # The SIAK backlog loaded on the first morning is where the campaign began, not progress.
    moved = since.exclude(from_status="")
    counts = {s: moved.filter(to_status=s).count() for s in ("recorded", "printed", "issued")}
    assert all(counts.values()), counts
    progress = campaign_pace(campaign)
    assert (progress.printed, progress.issued) == (counts["printed"], counts["issued"])
    assert progress.issued_share > 0
    # Every step happened in the past, in all three shifts, stamped with the shift on duty.
    assert not ApplicationEvent.objects.filter(at__gt=seeded).exists()
    shifts = set(since.values_list("assignment__shift_type__code", flat=True))
    assert {"P", "S", "M"} <= shifts
    staffed = since.exclude(application__loaded_from_siak=True, from_status="")
    assert staffed.filter(assignment__isnull=True).count() == 1  # the planted one
    # Printing stays within what one card printer makes in a day.
    per_day = since.filter(to_status="printed").annotate(day=TruncDate("at")).values("day")
    assert max(per_day.annotate(n=Count("pk")).values_list("n", flat=True)) <= 250
    # Spoilage runs at the documented 4–5%, and one destruction is on record.
    spoiled = Blank.objects.filter(status__in=["spoiled", "destroyed"]).count()
    assert 0.02 < spoiled / (spoiled + counts["printed"]) < 0.08
    assert Destruction.objects.count() == 1
    call_command("stock_verify", stdout=StringIO())


def test_every_demo_application_followed_the_status_table(db, seeded):
    events = ApplicationEvent.objects.order_by("application", "at", "pk").values_list(
        "application", "from_status", "to_status", "at"
    )
    last: dict[int, tuple[str, dt.datetime]] = {}
    for application, from_status, to_status, at in events:
        if application in last:
            assert (from_status, at >= last[application][1]) == (last[application][0], True)
        if from_status:
            assert to_status in allowed_moves(from_status)
        last[application] = (to_status, at)
    statuses = dict(CardApplication.objects.values_list("pk", "status"))
    assert statuses == {pk: status for pk, (status, _) in last.items()}
    # The model's constraints (blank iff printed here, handover verified…) were checked by
    # PostgreSQL on every insert and update of the seed.


def test_the_demo_clerks_are_on_duty_and_only_planted_patterns_look_like_brokers(db, seeded):
    roster = Roster.objects.get()
    assert roster.is_published and roster.period_start <= timezone.localdate() < roster.period_end
    clerks = {
        "pendaftaran": "DAF",
        "perekaman": "REK",
        "cetak": "CTK",
        "penyerahan": "SRH",
        "kasi": "AWS",
    }
    for username, post in clerks.items():
        assignment = on_duty(get_user_model().objects.get(username=username), seeded)
        assert assignment is not None and assignment.post.code == post
    assert [c.value for c in shared_phones()] == [BROKER_PHONE]
    assert shared_helpers() == []
    assert len(refused_proxies()) == 1
    (off_duty,) = off_duty_actions()
    assert off_duty.username not in clerks and off_duty.events == 1


def test_the_demo_morning_has_a_working_queue(seeded, client):
    from registry.models import QueueTicket, ServiceDesk, TicketEvent, TicketStatus
    from registry.selectors.tickets import display_board

    assert ServiceDesk.objects.count() == 5
    today = QueueTicket.objects.filter(day=timezone.localdate())
    assert today.count() == 36
    assert today.filter(status=TicketStatus.SERVED).count() == 23
    assert today.filter(status=TicketStatus.WAITING).exists()
    # Every call was made by a clerk of a calling role and recorded.
    assert not TicketEvent.objects.filter(kind="call", actor__isnull=True).exists()
    # The waiting-room display shows a number at each of the three desks calling now.
    assert len(display_board(timezone.localdate())["desks"]) == 3
