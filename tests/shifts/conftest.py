import datetime as dt

import pytest
from django.apps import apps

from shifts.models import CoverageRequirement, Post, Roster, ShiftType, Staff
from shifts.reference import reference_load
from shifts.services import roster_create


def nip_for(serial: int, sex: int = 1) -> str:
    return f"19850412201003{sex}{serial:03d}"


@pytest.fixture
def reference(db):
    # A transactional test's flush (tests/e2e) removes the rows the migration created.
    reference_load(apps)


@pytest.fixture
def shift(reference):
    return {s.code: s for s in ShiftType.objects.all()}


@pytest.fixture
def post(reference):
    return {p.code: p for p in Post.objects.all()}


@pytest.fixture
def make_staff(db, post):
    counter = iter(range(1, 1000))

    def make(name: str, posts=("REK",), **fields) -> Staff:
        staff = Staff.objects.create(nip=nip_for(next(counter)), name=name, **fields)
        staff.posts.set([post[code] for code in posts])
        return staff

    return make


@pytest.fixture
def supervisor(make_user):
    return make_user("Kepala Seksi", username="kasi")


@pytest.fixture
def make_roster(supervisor, reference):
    def make(start=dt.date(2020, 1, 1), end=dt.date(2020, 1, 31)) -> Roster:
        return roster_create(period_start=start, period_end=end, actor=supervisor)

    return make


@pytest.fixture
def require(shift, post):
    def add(shift_code: str, post_code: str, count: int) -> None:
        CoverageRequirement.objects.create(
            shift_type=shift[shift_code], post=post[post_code], min_staff=count
        )

    return add
