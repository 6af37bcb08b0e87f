"""Two rosters edited at once cannot each approve half of a forbidden malam → pagi pair."""

import datetime as dt
import threading

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection

from shifts.models import Assignment, Post, ShiftType, Staff
from shifts.reference import reference_load
from shifts.services import assignment_set, roster_create

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
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def put(roster, day, code):
        try:
            barrier.wait()
            assignment_set(
                roster=roster, staff=staff, day=day, shift_type=shift[code], post=rek, actor=kasi
            )
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=put, args=(january, dt.date(2020, 1, 31), "M")),
        threading.Thread(target=put, args=(february, dt.date(2020, 2, 1), "P")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert outcomes.count("ok") == 1
    assert any("istirahat" in outcome for outcome in outcomes)
    assert Assignment.objects.count() == 1
