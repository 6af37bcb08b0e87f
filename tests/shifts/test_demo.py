import datetime as dt

from django.contrib.auth.models import Group
from django.test import override_settings
from django.utils import timezone

from shifts.demo import roster_period, seed_rosters
from shifts.models import Leave, Roster, RosterStatus, Staff
from shifts.nip import nip_problem
from shifts.selectors import on_duty, on_duty_now
from shifts.services import roster_violations


@override_settings(SHIFTS_SOLVER_SECONDS=4)
def test_the_demo_roster_runs_from_the_campaign_start_to_a_month_ahead_with_clerks_on_duty(
    db, monkeypatch, make_user
):
    today = timezone.localdate()
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(10, 0)))
    monkeypatch.setattr(timezone, "now", lambda: noon)
    start = today - dt.timedelta(days=30)
    clerks = {"DAF": make_user("Petugas Pendaftaran"), "CTK": make_user("Operator Cetak")}
    added = seed_rosters(
        campaign_start=start, clerks=clerks, actor=make_user("Kepala Seksi"), staff_count=45
    )

    roster = Roster.objects.get()
    assert roster.status == RosterStatus.PUBLISHED
    assert (roster.period_start, roster.period_end) == roster_period(today, start)
    assert roster.period_start == start and roster.period_end == today + dt.timedelta(days=30)
    assert added == roster.assignments.count() > 1000
    assert Staff.objects.count() == 47 and Leave.objects.count() == 4
    assert all(nip_problem(nip) is None for nip in Staff.objects.values_list("nip", flat=True))
    assert roster_violations(roster) == []
    # Each demo login is on duty at its own post in the shift running now.
    for post, user in clerks.items():
        assignment = on_duty(user, noon)
        assert assignment is not None and assignment.post.code == post
    assert len(on_duty_now()) >= 7
    # Every rostered petugas has an account in the role of a post they hold.
    people = Staff.objects.exclude(user__in=clerks.values()).select_related("user")
    assert all(p.user and not p.user.has_usable_password() for p in people)
    assert Group.objects.get(name="Operator Cetak").user_set.count() > 5
    assert seed_rosters(campaign_start=start) == 0
