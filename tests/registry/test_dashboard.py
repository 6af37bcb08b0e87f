"""The supervisor's dashboard: progress from the event log, the pace, the projected date, and
the home page each role gets — on a known event history."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.dashboard import MISSED, progress_chart, projected_text
from registry.models import (
    ApplicationEvent,
    ApplicationStatus,
    Campaign,
    CardApplication,
    DailyStepCount,
)
from registry.selectors.campaign import (
    campaign_pace,
    collection_queue_summary,
    daily_steps,
    dashboard,
)
from tests.registry.factories import make_resident, nik_for

S = ApplicationStatus
pytestmark = pytest.mark.django_db

START, END = dt.date(2020, 1, 27), dt.date(2020, 4, 26)
# The step before each counted one, as a clerk takes it here.
BEFORE = {
    S.RECORDED: S.VERIFIED,
    S.PRINT_READY: S.RECORDED,
    S.PRINTED: S.PRINT_READY,
    S.ISSUED: S.PRINTED,
}


def wita(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(name="Percepatan KTP-el", target=100, start=START, end=END)


@pytest.fixture
def log(staff):
    """Write events at known moments: ``log(at, S.ISSUED, n=3)``; ``from_status=""`` is how
    SIAK's loading is logged."""
    application = CardApplication.objects.create(
        resident=make_resident(nik=nik_for(1)),
        kind="baru",
        status=S.RECORDED,
        applicant_present=True,
        submitted_by=staff["registration"],
        submitted_at=wita(2020, 1, 27, 8),
    )

    def write(at: dt.datetime, to_status: str, *, n: int = 1, from_status: str | None = None):
        ApplicationEvent.objects.bulk_create(
            ApplicationEvent(
                application=application,
                from_status=BEFORE[to_status] if from_status is None else from_status,
                to_status=to_status,
                actor=staff["recording"],
                at=at,
            )
            for _ in range(n)
        )

    return write


def test_only_steps_a_clerk_took_here_since_the_start_count(campaign, log):
    log(wita(2020, 1, 26, 23, 59), S.ISSUED)  # the day before the start
    log(wita(2020, 1, 27, 0, 0), S.ISSUED)
    log(wita(2020, 1, 28, 9), S.RECORDED, n=4)
    log(wita(2020, 1, 28, 9), S.RECORDED, from_status=S.ENROLL_FAILED)  # the same person again
    log(wita(2020, 1, 28, 10), S.PRINTED, n=3)
    log(wita(2020, 1, 27, 7, 30), S.PRINTED, from_status="")  # loaded from SIAK
    log(wita(2020, 1, 27, 7, 30), S.ISSUED, from_status="")
    log(wita(2020, 1, 28, 10), S.PRINT_READY)  # not a campaign step

    pace = campaign_pace(campaign, now=wita(2020, 1, 29, 12))

    assert (pace.recorded, pace.printed, pace.issued) == (4, 3, 1)
    assert pace.series == [
        (dt.date(2020, 1, 27), 0, 0, 1),
        (dt.date(2020, 1, 28), 4, 3, 1),
        (dt.date(2020, 1, 29), 4, 3, 1),
    ]


def test_days_are_wita_days(campaign, log):
    # 23:59 and 00:00 WITA fall on the same UTC day (15:59 and 16:00 UTC).
    log(wita(2020, 2, 2, 23, 59), S.ISSUED)
    log(wita(2020, 2, 3, 0, 0), S.ISSUED, n=2)

    days = daily_steps(campaign, until=wita(2020, 2, 4))

    assert {day: steps[S.ISSUED] for day, steps in days.items()} == {
        dt.date(2020, 2, 2): 1,
        dt.date(2020, 2, 3): 2,
    }


def test_closed_days_are_summarised_once_and_a_step_logged_late_still_counts(campaign, log):
    log(wita(2020, 2, 3, 9), S.ISSUED, n=2)
    log(wita(2020, 2, 4, 9), S.RECORDED)
    until = wita(2020, 2, 5, 12)  # 5 February is counted from the log itself

    first = daily_steps(campaign, until=until, summarise=True)

    # 27 January to 4 February in all, every step of the progress, zeros included; and the
    # applicant's kelurahan on the two days with work.
    assert DailyStepCount.objects.filter(village=None).count() == 9 * 6
    assert DailyStepCount.objects.filter(village__isnull=False).count() == 2
    issued = DailyStepCount.objects.filter(day=dt.date(2020, 2, 3), step=S.ISSUED)
    village = CardApplication.objects.get().resident.village_id
    assert dict(issued.values_list("village", "applications")) == {village: 2, None: 2}
    assert first[dt.date(2020, 2, 3)][S.ISSUED] == 2

    # Written after the day was summarised, stamped inside it (as the demo history does).
    log(wita(2020, 2, 3, 10), S.ISSUED)
    again = daily_steps(campaign, until=until, summarise=True)

    assert again[dt.date(2020, 2, 3)][S.ISSUED] == 3
    assert dict(issued.values_list("village", "applications")) == {village: 3, None: 3}
    # Every row was brought up to the newest event, so the next page looks only after it.
    newest = ApplicationEvent.objects.order_by("-pk").first().pk
    assert set(DailyStepCount.objects.values_list("counted_through", flat=True)) == {newest}
    assert daily_steps(campaign, until=until) == again


def test_a_summarised_day_is_not_written_again_and_other_readers_write_nothing(campaign, log):
    log(wita(2020, 2, 3, 9), S.ISSUED)
    campaign_pace(campaign, now=wita(2020, 2, 10, 12))
    assert not DailyStepCount.objects.exists()
    daily_steps(campaign, until=wita(2020, 2, 10, 12), summarise=True)

    with CaptureQueriesContext(connection) as queries:
        days = daily_steps(campaign, until=wita(2020, 2, 10, 12), summarise=True)

    assert [q["sql"] for q in queries if not q["sql"].startswith("SELECT")] == []
    assert days[dt.date(2020, 2, 3)][S.ISSUED] == 1


def test_the_pace_is_the_last_seven_full_days(campaign, log):
    log(wita(2020, 2, 2, 12), S.ISSUED, n=10)  # eight days ago: outside the window
    for day in range(3, 10):  # 3–9 February: two a day
        log(wita(2020, 2, day, 0, 0), S.ISSUED)
        log(wita(2020, 2, day, 23, 59), S.ISSUED)
    log(wita(2020, 2, 10, 8), S.ISSUED, n=5)  # today: not a full day yet

    pace = campaign_pace(campaign, now=wita(2020, 2, 10, 12))

    assert pace.issued == 29
    assert pace.issued_per_day == 2.0
    # 71 left over the 76 days after today up to 26 April.
    assert pace.required_per_day == 1
    # Today plus 71 / 2 = 35.5 days, rounded up to whole days.
    assert pace.projected_completion == dt.date(2020, 2, 10) + dt.timedelta(days=36)
    assert not pace.misses_end
    assert projected_text(pace) == "17 Maret 2020"


def test_a_pace_too_slow_says_the_target_is_missed(campaign, log):
    campaign.target = 1_000
    log(wita(2020, 2, 9, 10), S.ISSUED, n=7)  # one a day over the week

    pace = campaign_pace(campaign, now=wita(2020, 2, 10, 12))

    assert pace.projected_completion == dt.date(2020, 2, 10) + dt.timedelta(days=993)
    assert pace.misses_end
    assert projected_text(pace).endswith(f"({MISSED})")
    assert pace.required_per_day == 14  # ceil(993 / 76)


def test_no_pace_means_no_projected_date(campaign, log):
    log(wita(2020, 1, 28, 10), S.ISSUED, n=3)  # long before the last seven days

    pace = campaign_pace(campaign, now=wita(2020, 3, 1, 12))

    assert pace.issued_per_day == 0
    assert pace.projected_completion is None
    assert projected_text(pace) == "—"
    assert pace.misses_end


def test_after_the_end_date_no_rate_can_still_make_it(campaign, log):
    log(wita(2020, 4, 30, 10), S.ISSUED, n=14)

    pace = campaign_pace(campaign, now=wita(2020, 5, 2, 12))

    assert pace.required_per_day is None
    assert pace.projected_completion == dt.date(2020, 5, 2) + dt.timedelta(days=43)
    assert MISSED in projected_text(pace)
    assert pace.series[-1][0] == END  # the chart stops at the end date


def test_a_target_already_reached_ends_today(campaign, log):
    log(wita(2020, 2, 1, 10), S.ISSUED, n=100)

    pace = campaign_pace(campaign, now=wita(2020, 2, 10, 12))

    assert (pace.remaining, pace.required_per_day) == (0, 0)
    assert pace.projected_completion == dt.date(2020, 2, 10)


def test_the_chart_is_svg_numbers_with_a_target_line(campaign, log):
    log(wita(2020, 2, 9, 10), S.ISSUED, n=50)
    pace = campaign_pace(campaign, now=wita(2020, 2, 10, 12))

    chart = progress_chart(pace)

    issued = next(line for line in chart.lines if line.css == "issued")
    assert issued.value == 50
    # The y axis tops at the target: the target line is the top of the plot.
    assert chart.target_y == chart.top
    # Coordinates in SVG's own notation (a decimal point), whatever the locale says.
    assert all(len([float(v) for v in point.split(",")]) == 2 for point in issued.points.split())
    assert chart.projection  # 50 more at 50 a week


def test_the_collection_queue_by_age(staff):
    now = timezone.now()
    for serial, days in enumerate([1, 8, 20, 31, 40], start=1):
        CardApplication.objects.create(
            resident=make_resident(nik=nik_for(serial)),
            kind="baru",
            status=S.PRINTED,
            loaded_from_siak=True,
            submitted_by=staff["registration"],
            submitted_at=now - dt.timedelta(days=days),
        )

    queue = collection_queue_summary(now=now)

    assert queue.size == 5
    assert queue.oldest == now - dt.timedelta(days=40)
    assert [n for _, n in queue.buckets] == [1, 1, 1, 2]
    assert queue.over_alert_age == 2


def test_alerts_name_what_needs_looking_into(campaign, log, staff):
    now = wita(2020, 2, 10, 12)
    CardApplication.objects.create(
        resident=make_resident(nik=nik_for(2)),
        kind="baru",
        status=S.PRINTED,
        loaded_from_siak=True,
        submitted_by=staff["registration"],
        submitted_at=now - dt.timedelta(days=45),
    )

    board = dashboard(campaign, now=now)

    texts = " ".join(alert.text for alert in board.alerts)
    assert "lebih dari 30 hari" in texts
    assert "Blanko habis" in texts  # none in stock, 100 cards to print
    assert "tidak tercapai pada tanggal target" in texts


# -- the pages -------------------------------------------------------------------------------


def test_the_supervisor_home_is_the_dashboard(client, staff, campaign, log):
    now = timezone.now()
    today = timezone.localdate()
    campaign.start, campaign.end = today - dt.timedelta(days=20), today + dt.timedelta(days=70)
    campaign.save()
    log(now - dt.timedelta(days=3), S.ISSUED, n=14)
    client.force_login(staff["supervisor"])

    page = client.get(reverse("admin:index"))

    text = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in text and 'class="chart-line chart-issued"' in text
    assert 'id="perkiraan-selesai"' in text
    assert "Perencana kapasitas" in text and reverse("reports:index") in text
    assert "<script" not in text.split('id="content-main"')[1]
    assert " style=" not in text.split('id="content-main"')[1]


@pytest.mark.parametrize("role", ["registration", "recording", "printing", "handover"])
def test_a_clerk_gets_their_desk_not_the_dashboard(client, staff, campaign, role):
    client.force_login(staff[role])

    text = client.get(reverse("admin:index")).content.decode()

    assert "Meja saya" in text and "Hari ini" in text
    assert "Perkiraan selesai" not in text and "chart-line" not in text


def test_the_desk_shortcuts_open_the_desks_list(client, staff, campaign):
    client.force_login(staff["recording"])
    page = client.get(reverse("admin:index"))

    for line in page.context["desk_lines"]:
        assert client.get(line.url).status_code == 200


@pytest.mark.parametrize("role", ["keeper", "administrator"])
def test_other_roles_keep_the_usual_home(client, staff, campaign, role):
    client.force_login(staff[role])

    page = client.get(reverse("admin:index"))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Meja saya" not in text and "Perkiraan selesai" not in text


def test_the_supervisor_home_without_a_campaign(client, staff):
    Campaign.objects.all().delete()
    client.force_login(staff["supervisor"])

    assert "Belum ada kampanye" in client.get(reverse("admin:index")).content.decode()


# On PostgreSQL: SQLite's limit on query parameters splits the one-time write of newly closed
# days into batches whose number follows the rows written.
@pytest.mark.postgres
def test_the_dashboard_runs_the_same_queries_however_much_there_is(
    client, staff, campaign, log, django_assert_max_num_queries
):
    today = timezone.localdate()
    campaign.start, campaign.end = today - dt.timedelta(days=30), today + dt.timedelta(days=60)
    campaign.save()
    now = timezone.now()
    log(now - dt.timedelta(days=2), S.ISSUED)
    client.force_login(staff["supervisor"])
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("admin:index")).status_code == 200

    for days in range(30):
        for step in (S.RECORDED, S.PRINTED, S.ISSUED):
            log(now - dt.timedelta(days=days, hours=1), step, n=20)
    for serial in range(2, 40):
        CardApplication.objects.create(
            resident=make_resident(nik=nik_for(serial)),
            kind="baru",
            status=S.PRINTED,
            loaded_from_siak=True,
            submitted_by=staff["registration"],
            submitted_at=now - dt.timedelta(days=serial),
        )

    with django_assert_max_num_queries(len(small)):
        page = client.get(reverse("admin:index"))
    assert "38 kartu tercetak menunggu diambil" in page.content.decode()


def test_a_desk_that_calls_the_queue_finds_it_on_its_home_page(client, staff):
    client.force_login(staff["registration"])
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("ticket_desks") in page
    client.force_login(staff["printing"])
    assert reverse("ticket_desks") not in client.get(reverse("admin:index")).content.decode()


def test_today_counts_each_submission_a_clerk_took_but_not_what_siak_loaded(log):
    from registry.selectors.campaign import today_by_shift

    now = timezone.now()
    log(now, S.SUBMITTED, from_status="")  # a clerk's submission is from nothing
    log(now, S.PRINTED, from_status="")  # SIAK's loading
    _, totals = today_by_shift(today=timezone.localdate())
    assert totals[0] == 1 and sum(totals) == 1
