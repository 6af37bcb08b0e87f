"""Rosters written at once: each rule holds under real threads on PostgreSQL."""

import datetime as dt
import itertools
from functools import partial

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from shifts.models import Assignment, Post, Roster, ShiftType, Staff
from shifts.reference import reference_load
from shifts.services import assignment_set, roster_create
from tests.threads import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_a_night_and_the_next_morning_in_two_rosters_at_once_only_one_wins(make_user):
    reference_load(apps)
    kasi = make_user("Kepala Seksi", username="kasi")
    rek = Post.objects.get(code="REK")
    staff = Staff.objects.create(nip="198504122010031001", name="Yohanes Ndolu")
    staff.posts.add(rek)
    january = roster_create(
        period_start=dt.date(2020, 1, 1), period_end=dt.date(2020, 1, 31), actor=kasi
    )
    february = roster_create(
        period_start=dt.date(2020, 2, 1), period_end=dt.date(2020, 2, 29), actor=kasi
    )
    shift = {s.code: s for s in ShiftType.objects.all()}
    outcomes, errors = run_together(
        *(
            partial(
                assignment_set,
                roster=roster,
                staff=staff,
                day=day,
                shift_type=shift[code],
                post=rek,
                actor=kasi,
            )
            for roster, day, code in (
                (january, dt.date(2020, 1, 31), "M"),
                (february, dt.date(2020, 2, 1), "P"),
            )
        )
    )

    assert errors == []
    assert outcomes.count("ok") == 1
    assert any("istirahat" in outcome for outcome in outcomes)
    assert Assignment.objects.count() == 1


def _create_together(periods, actor):
    return run_together(
        *(
            partial(roster_create, period_start=start, period_end=end, actor=actor)
            for start, end in periods
        )
    )


def test_two_overlapping_rosters_created_at_the_same_moment_only_one_is_kept(make_user):
    kasi = make_user("Kepala Seksi", username="kasi")
    for year in range(2030, 2042):
        outcomes, errors = _create_together(
            [
                (dt.date(year, 1, 1), dt.date(year, 1, 31)),
                (dt.date(year, 1, 20), dt.date(year, 2, 19)),
            ],
            kasi,
        )
        assert errors == []
        assert outcomes.count("ok") == 1
        assert any("bertumpang tindih" in outcome for outcome in outcomes)
    rosters = list(Roster.objects.order_by("period_start"))
    assert len(rosters) == 12
    assert all(a.period_end < b.period_start for a, b in itertools.pairwise(rosters))


def test_the_database_refuses_an_overlapping_roster_written_past_the_service(make_user):
    kasi = make_user("Kepala Seksi", username="kasi")
    roster_create(period_start=dt.date(2030, 1, 1), period_end=dt.date(2030, 1, 31), actor=kasi)
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Roster.objects.create(
            period_start=dt.date(2030, 1, 31), period_end=dt.date(2030, 2, 27), created_by=kasi
        )
    assert refused.value.__cause__.diag.constraint_name == "roster_no_overlap"
