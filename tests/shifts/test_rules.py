"""Each roster rule, refused by the service with the person, the date and the rule."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from shifts.models import Assignment, Leave
from shifts.nip import nip_problem
from shifts.services import assignment_set
from tests.constraints import refused_by

JAN = dt.date(2020, 1, 1)


@pytest.fixture
def setup(make_staff, make_roster, supervisor, shift, post):
    staff = make_staff("Yohanes Ndolu")
    roster = make_roster()

    def put(day: dt.date, code: str, post_code: str = "REK", who=staff, where=roster):
        assignment_set(
            roster=where,
            staff=who,
            day=day,
            shift_type=shift[code],
            post=post[post_code],
            actor=supervisor,
        )

    return staff, roster, put


def refused(put, *args) -> str:
    with pytest.raises(ValidationError) as caught:
        put(*args)
    return " ".join(caught.value.messages)


def test_it_refuses_malam_followed_by_pagi_across_midnight(setup):
    _, _, put = setup
    put(dt.date(2020, 1, 10), "M")
    message = refused(put, dt.date(2020, 1, 11), "P")
    assert "Yohanes Ndolu" in message and "11 Januari 2020" in message
    assert "istirahat antar-shift kurang dari 10 jam" in message
    assert Assignment.objects.count() == 1


def test_it_refuses_malam_followed_by_pagi_across_the_month_boundary(setup, make_roster):
    staff, _january, put = setup
    february = make_roster(dt.date(2020, 2, 1), dt.date(2020, 2, 29))
    put(dt.date(2020, 1, 31), "M")
    message = refused(put, dt.date(2020, 2, 1), "P", "REK", staff, february)
    assert "1 Februari 2020" in message and "istirahat" in message


def test_it_refuses_the_earlier_shift_too_when_the_later_one_exists(setup):
    _, _, put = setup
    put(dt.date(2020, 1, 11), "P")
    assert "istirahat" in refused(put, dt.date(2020, 1, 10), "M")


def test_sore_then_pagi_is_only_eight_hours_of_rest(setup):
    _, _, put = setup
    put(dt.date(2020, 1, 10), "S")
    assert "(8 jam)" in refused(put, dt.date(2020, 1, 11), "P")


@override_settings(SHIFTS_MAX_CONSECUTIVE_NIGHTS=3)
def test_it_refuses_a_fourth_night_in_a_row(setup):
    _, _, put = setup
    for day in (13, 14, 15):
        put(dt.date(2020, 1, day), "M")
    message = refused(put, dt.date(2020, 1, 16), "M")
    assert "16 Januari 2020" in message and "lebih dari 3 shift malam berturut-turut" in message


@override_settings(SHIFTS_MAX_WEEKLY_HOURS=40)
def test_it_refuses_a_sixth_eight_hour_shift_in_one_week(setup):
    _, _, put = setup
    for day in range(6, 11):  # Monday 6 to Friday 10 January 2020
        put(dt.date(2020, 1, day), "P")
    message = refused(put, dt.date(2020, 1, 11), "P")
    assert "48 jam, melebihi batas 40 jam" in message and "6 Januari 2020" in message


def test_it_refuses_someone_on_leave(setup):
    staff, _, put = setup
    Leave.objects.create(
        staff=staff, start=dt.date(2020, 1, 20), end=dt.date(2020, 1, 24), kind="cuti"
    )
    message = refused(put, dt.date(2020, 1, 22), "P")
    assert "22 Januari 2020" in message and "cuti" in message


def test_it_refuses_a_post_the_person_is_not_qualified_for(setup):
    _, _, put = setup
    message = refused(put, JAN, "P", "CTK")
    assert "Yohanes Ndolu" in message and "kualifikasi" in message


def test_one_shift_a_day_replaces_rather_than_adds(setup):
    _staff, _, put = setup
    put(JAN, "P")
    put(JAN, "S")
    assert list(Assignment.objects.values_list("shift_type__code", flat=True)) == ["S"]


def test_the_database_refuses_two_shifts_for_one_person_on_one_day(setup, shift, post):
    staff, roster, put = setup
    put(JAN, "P")
    with refused_by("assignment_one_per_day"):
        Assignment.objects.create(
            roster=roster, staff=staff, date=JAN, shift_type=shift["S"], post=post["REK"]
        )


@pytest.mark.parametrize(
    ("nip", "valid"),
    [
        ("198504122010031001", True),
        ("19850412201003100", False),  # 17 digits
        ("198513122010031001", False),  # month 13
        ("198504122010033001", False),  # sex digit 3
        ("198504122010031000", False),  # serial 000
    ],
)
def test_nip_rules(nip, valid):
    assert (nip_problem(nip) is None) is valid
