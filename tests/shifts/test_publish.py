"""Publishing freezes a roster; later changes are amendments with a name and a reason."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shifts.models import Amendment, Assignment, RosterStatus
from shifts.services import assignment_set, roster_amend, roster_create, roster_publish

DAY = dt.date(2020, 1, 15)


@pytest.fixture
def published(make_staff, make_roster, supervisor, shift, post):
    staff = make_staff("Agustinus Lakapu")
    roster = make_roster()
    assignment_set(
        roster=roster,
        staff=staff,
        day=DAY,
        shift_type=shift["P"],
        post=post["REK"],
        actor=supervisor,
    )
    roster_publish(roster=roster, actor=supervisor)
    roster.refresh_from_db()
    return roster, staff


def test_publishing_records_who_and_when(published, supervisor):
    roster, _ = published
    assert roster.status == RosterStatus.PUBLISHED
    assert roster.published_by == supervisor and roster.published_at


def test_a_published_roster_cannot_be_edited_directly(published, supervisor, shift, post):
    roster, staff = published
    with pytest.raises(ValidationError, match="amandemen"):
        assignment_set(
            roster=roster,
            staff=staff,
            day=DAY,
            shift_type=shift["S"],
            post=post["REK"],
            actor=supervisor,
        )
    assert Assignment.objects.get().shift_type == shift["P"]


def test_an_amendment_changes_it_on_the_record(published, supervisor, shift, post):
    roster, staff = published
    roster_amend(
        roster=roster,
        staff=staff,
        day=DAY,
        shift_type=shift["S"],
        post=post["REK"],
        reason="Tukar shift dengan rekan yang sakit",
        actor=supervisor,
    )
    assert Assignment.objects.get().shift_type == shift["S"]
    amendment = Amendment.objects.get()
    assert (amendment.before, amendment.after, amendment.actor) == ("P/REK", "S/REK", supervisor)


def test_an_amendment_needs_a_reason_and_still_obeys_the_rules(published, supervisor, shift, post):
    roster, staff = published
    with pytest.raises(ValidationError, match="alasan"):
        roster_amend(
            roster=roster,
            staff=staff,
            day=DAY,
            shift_type=None,
            post=None,
            reason=" ",
            actor=supervisor,
        )
    with pytest.raises(ValidationError, match="istirahat"):
        roster_amend(
            roster=roster,
            staff=staff,
            day=DAY - dt.timedelta(days=1),
            shift_type=shift["M"],
            post=post["REK"],
            reason="Tambahan malam",
            actor=supervisor,
        )
    assert Amendment.objects.count() == 0


def test_rosters_cannot_overlap(make_roster, supervisor):
    make_roster()
    with pytest.raises(ValidationError, match="bertumpang tindih"):
        roster_create(
            period_start=dt.date(2020, 1, 20), period_end=dt.date(2020, 2, 5), actor=supervisor
        )


@pytest.mark.parametrize("role", ["Operator Cetak", "Administrator", "Petugas Pendaftaran"])
def test_only_the_kepala_seksi_builds_and_publishes(make_user, role, make_roster):
    roster = make_roster()
    user = make_user(role, username="lain")
    with pytest.raises(PermissionDenied):
        roster_publish(roster=roster, actor=user)
    with pytest.raises(PermissionDenied):
        roster_create(period_start=dt.date(2020, 3, 1), period_end=dt.date(2020, 3, 31), actor=user)
