import datetime as dt

from django.test import override_settings
from django.utils import timezone

from shifts.demo import seed_rosters
from shifts.models import Leave, Roster, RosterStatus, Staff
from shifts.nip import nip_problem
from shifts.selectors import on_duty_now
from shifts.services import roster_violations


# The demo's month is large; a short search still fills it, and the test stays quick.
@override_settings(SHIFTS_SOLVER_SECONDS=4)
def test_the_demo_has_staff_leave_and_a_published_roster_with_someone_on_duty(db, monkeypatch):
    # Mid-month, mid-morning: at 01:00 on the 1st the night on duty belongs to last month.
    today = timezone.localdate()
    noon = timezone.make_aware(dt.datetime(today.year, today.month, 15, 10, 0))
    monkeypatch.setattr(timezone, "now", lambda: noon)
    added = seed_rosters(staff_count=45)

    roster = Roster.objects.get()
    assert roster.status == RosterStatus.PUBLISHED
    assert added == roster.assignments.count() > 500
    assert Staff.objects.count() == 45 and Leave.objects.count() == 4
    assert all(nip_problem(nip) is None for nip in Staff.objects.values_list("nip", flat=True))
    assert roster_violations(roster) == []
    assert len(on_duty_now()) >= 5
    assert seed_rosters() == 0
