import datetime as dt

import pytest
from django.utils import timezone

from shifts.selectors import on_duty, on_duty_now
from shifts.services import assignment_set, roster_publish


def wita(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def night(make_user, make_staff, make_roster, supervisor, shift, post):
    user = make_user("Operator Perekaman", username="operator")
    staff = make_staff("Fransiska Tefa", user=user)
    roster = make_roster()
    assignment_set(
        roster=roster,
        staff=staff,
        day=dt.date(2020, 1, 31),
        shift_type=shift["M"],
        post=post["REK"],
        actor=supervisor,
    )
    roster_publish(roster=roster, actor=supervisor)
    return user


@pytest.mark.parametrize(
    ("moment", "found"),
    [
        (wita(2020, 1, 31, 22, 59), False),
        (wita(2020, 1, 31, 23, 30), True),
        (wita(2020, 2, 1, 6, 59), True),  # the next day, in the next month
        (wita(2020, 2, 1, 7, 0), False),
    ],
)
def test_on_duty_finds_the_night_shift_across_midnight(night, moment, found):
    assignment = on_duty(night, moment)
    assert (assignment is not None) is found
    if found:
        assert assignment.shift_type.code == "M" and assignment.post.code == "REK"


def test_on_duty_reads_utc_moments_in_kupang_time(night):
    assert on_duty(night, dt.datetime(2020, 1, 31, 15, 30, tzinfo=dt.UTC)) is not None


def test_draft_rosters_do_not_count(make_user, make_staff, make_roster, supervisor, shift, post):
    user = make_user("Operator Cetak", username="cetak")
    staff = make_staff("Marthen Bana", posts=("CTK",), user=user)
    roster = make_roster()
    assignment_set(
        roster=roster,
        staff=staff,
        day=dt.date(2020, 1, 10),
        shift_type=shift["P"],
        post=post["CTK"],
        actor=supervisor,
    )
    assert on_duty(user, wita(2020, 1, 10, 9, 0)) is None


def test_on_duty_now_lists_who_is_where(night, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(timezone, "now", lambda: wita(2020, 2, 1, 2, 0))
    with django_assert_max_num_queries(1):
        now = on_duty_now()
    assert [(a.staff.name, a.post.code) for a in now] == [("Fransiska Tefa", "REK")]
