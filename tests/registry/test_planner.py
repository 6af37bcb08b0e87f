"""The capacity planner: capacities, the bottleneck and the dates on known inputs; a what-if
beside today's plan that writes nothing; the page only for the Kepala Seksi."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.models import ApplicationEvent, Campaign, CardApplication
from registry.planner import (
    PRINTING,
    RECORDING,
    Inputs,
    ShiftPlan,
    plan,
    plan_inputs,
    what_if,
)
from shifts.models import Assignment, Post, Roster, RosterStatus, ShiftType, Staff
from stock.models import Blank, Location, LocationKind, Movement
from tests.registry.factories import make_resident

TODAY = dt.date(2020, 2, 10)
PAGE = "admin:registry_campaign_planner"


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def inputs(**changes) -> Inputs:
    """One day shift: two on recording (2 sets × 150), one on printing (1 printer × 225)."""
    values = {
        "today": TODAY,
        "end": dt.date(2020, 4, 26),
        "cards_needed": 1_000,
        "ready": 100,
        "recording_sets": 2,
        "printers": 1,
        "printers_per_operator": 2,
        "shifts": (
            ShiftPlan("P", "Pagi", 2, 1, 150, 225),
            ShiftPlan("M", "Malam", 0, 0, 150, 225),
        ),
        "blanks_in_stock": 10_000,
        "receipts": (),
        "budget_outstanding": 0,
        "spoilage_rate": 0.0,
        "measured": False,
    }
    return Inputs(**(values | changes))


def test_the_slower_step_is_the_bottleneck_and_sets_the_date():
    result = plan(inputs())

    assert (result.recording_per_day, result.printing_per_day) == (300, 225)
    assert result.bottleneck == PRINTING
    # 1,000 cards at 225 a day: four full days and 100 on the fifth.
    assert result.target_reached == day(5)
    assert result.blanks_run_out is None
    assert not result.misses_end


def test_printing_waits_for_people_to_be_recorded():
    result = plan(inputs(printers=4, ready=0))

    # The one operator tends two of the four printers (450 a day); 300 a day are recorded.
    assert (result.recording_per_day, result.printing_per_day) == (300, 450)
    assert result.bottleneck == RECORDING
    assert result.target_reached == day(4)  # 300, 300, 300, 100


def test_blanks_running_out_stop_the_campaign():
    result = plan(inputs(blanks_in_stock=500))

    # 225, 225, then the last 50 blanks; nothing on the fourth day.
    assert result.blanks_run_out == day(4)
    assert result.target_reached is None
    assert result.bottleneck == "blanks"
    assert result.misses_end


def test_spoilage_needs_more_blanks_than_cards():
    result = plan(inputs(spoilage_rate=0.2, blanks_in_stock=500))

    assert result.blanks_per_day == 282  # 225 cards / 0.8
    # 400 cards from 500 blanks: 225, 175; none left on the third day.
    assert result.blanks_run_out == day(3)


def test_what_if_one_more_printer_and_a_night_shift_and_blanks_arriving():
    today = inputs(blanks_in_stock=500)
    changed = what_if(
        today,
        {
            "extra_printers": 1,
            "extra_shift": "M",
            "extra_post": RECORDING,
            "extra_staff": 2,
            "blanks_quantity": 15_000,
            "blanks_date": day(10),
        },
    )

    result = plan(changed)

    assert (changed.printers, today.printers) == (2, 1)
    assert [s.recording_staff for s in changed.shifts] == [2, 2]
    assert (result.recording_per_day, result.printing_per_day) == (600, 450)
    # 450, then the last 50 blanks; the 15,000 arrive on day 10: 450 more and 50 on day 11.
    assert result.blanks_run_out == day(3)
    assert result.target_reached == day(11)
    assert result.bottleneck == "blanks"


def test_nothing_to_do_is_reached_today():
    result = plan(inputs(cards_needed=0, ready=0))

    assert result.target_reached == TODAY


def test_no_capacity_never_reaches_the_target():
    empty = tuple(ShiftPlan(s.code, s.name, 0, 0, 150, 225) for s in inputs().shifts)

    result = plan(inputs(shifts=empty))

    assert result.target_reached is None
    assert result.misses_end


# -- the page ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["registration", "recording", "printing", "handover", "keeper", "administrator"]
)
def test_only_the_supervisor_may_plan(client, staff, role):
    client.force_login(staff[role])

    assert client.get(reverse(PAGE)).status_code == 403


@pytest.mark.django_db
def test_a_what_if_is_shown_beside_todays_plan_and_writes_nothing(client, staff):
    client.force_login(staff["supervisor"])
    tables = [Campaign, CardApplication, ApplicationEvent, Blank, Movement, Assignment]
    before = [model.objects.count() for model in tables]
    query = {
        "extra_printers": "1",
        "extra_shift": "M",
        "extra_post": RECORDING,
        "extra_staff": "2",
        "blanks_quantity": "15000",
        "blanks_date": "2020-03-01",
        "measured": "1",
    }

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse(PAGE), query)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Rencana sekarang" in text and 'id="target-jika"' in text
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert [model.objects.count() for model in tables] == before


@pytest.mark.django_db
def test_a_what_if_that_makes_no_sense_is_explained(client, staff):
    client.force_login(staff["supervisor"])

    page = client.get(reverse(PAGE), {"blanks_quantity": "15000", "extra_printers": "-1"})

    text = page.content.decode()
    assert page.status_code == 200
    assert "Isi tanggal kedatangan blanko." in text
    assert "lebih besar dari atau sama dengan 0" in text
    assert 'id="target-jika"' not in text


@pytest.mark.django_db
def test_measured_rates_are_the_work_per_staffed_station_in_each_shift(staff):
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    campaign = Campaign.objects.create(
        name="Uji", target=1_000, start=today - dt.timedelta(days=20), end=today + dt.timedelta(1)
    )
    for n in range(3):
        Location.objects.create(kind=LocationKind.PRINTER, name=f"Mesin Cetak {n + 1}")
    roster = Roster.objects.create(
        period_start=yesterday,
        period_end=today,
        status=RosterStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    morning = ShiftType.objects.get(code="P")
    posts = {p.code: p for p in Post.objects.all()}
    duty = {}
    for n, post in enumerate(["REK", "REK", "CTK"]):
        person = Staff.objects.create(nip=f"19900101201503100{n + 1}", name=f"Petugas {n + 1}")
        duty[post] = Assignment.objects.create(
            roster=roster, date=yesterday, shift_type=morning, staff=person, post=posts[post]
        )
    application = CardApplication.objects.create(
        resident=make_resident(),
        kind="baru",
        status="recorded",
        applicant_present=True,
        submitted_by=staff["registration"],
        submitted_at=timezone.now() - dt.timedelta(days=2),
    )
    at = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(10)))
    for from_status, to_status, post, n in [
        ("verified", "recorded", "REK", 240),
        ("print_ready", "printed", "CTK", 300),
    ]:
        ApplicationEvent.objects.bulk_create(
            ApplicationEvent(
                application=application,
                from_status=from_status,
                to_status=to_status,
                actor=staff["recording"],
                at=at,
                assignment=duty[post],
            )
            for _ in range(n)
        )

    measured = {s.code: s for s in plan_inputs(campaign, measured=True).shifts}
    defaults = {s.code: s for s in plan_inputs(campaign).shifts}

    # Two operators on the two recording sets: 120 each; one operator tends two printers: 150.
    assert (measured["P"].recording_rate, measured["P"].printing_rate) == (120, 150)
    # A shift with no measured work keeps the rates of the settings.
    assert (measured["S"].recording_rate, measured["S"].printing_rate) == (150, 225)
    assert (defaults["P"].recording_rate, defaults["P"].printing_rate) == (150, 225)
