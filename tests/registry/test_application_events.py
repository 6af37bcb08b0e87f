"""Every step of an application is logged with the shift its clerk was on duty in, so
throughput per shift and work done off duty can be reported."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.models import ApplicationEvent, ApplicationStatus
from registry.services.transitions import application_lock, transitions_bulk
from shifts.models import Post, ShiftType, Staff
from shifts.services import assignment_set, roster_create, roster_publish
from tests.registry.factories import make_resident, nik_for

S = ApplicationStatus
pytestmark = pytest.mark.django_db


def _now(monkeypatch, *moment):
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(dt.datetime(*moment)))


@pytest.fixture
def duty(staff):
    """Put clerks on a published roster: duty({"registration": ("P", "DAF")}, day)."""
    supervisor = staff["supervisor"]
    roster = roster_create(
        period_start=dt.date(2020, 1, 1), period_end=dt.date(2020, 1, 31), actor=supervisor
    )
    shifts = {s.code: s for s in ShiftType.objects.all()}
    posts = {p.code: p for p in Post.objects.all()}
    serial = iter(range(1, 100))

    def put(plan: dict[str, tuple[str, str]], day: dt.date, *, publish: bool = True):
        on = {}
        for role, (shift_code, post_code) in plan.items():
            person = Staff.objects.create(
                nip=f"198504122010031{next(serial):03d}", name=f"Petugas {role}", user=staff[role]
            )
            person.posts.add(posts[post_code])
            assignment_set(
                roster=roster,
                staff=person,
                day=day,
                shift_type=shifts[shift_code],
                post=posts[post_code],
                actor=supervisor,
            )
            on[role] = person.assignments.get()
        if publish:
            roster_publish(roster=roster, actor=supervisor)
        return on

    return put


def test_each_step_is_stamped_with_the_shift_its_clerk_was_on(
    duty, apply, advance, resident, stock_in, monkeypatch
):
    on = duty(
        {
            "registration": ("P", "DAF"),
            "printing": ("P", "CTK"),
            "handover": ("P", "SRH"),
        },
        dt.date(2020, 1, 28),
    )
    _now(monkeypatch, 2020, 1, 28, 9, 30)
    stock_in()

    application = advance(apply(resident), S.ISSUED)

    stamped = [(e.to_status, e.assignment) for e in application.events.all()]
    assert stamped == [
        (S.SUBMITTED, on["registration"]),
        (S.VERIFIED, on["registration"]),
        # The recording operator was not on the roster: the step is kept, unstamped, and
        # shows up in the report of work done off duty.
        (S.RECORDED, None),
        (S.PRINT_READY, None),
        (S.PRINTED, on["printing"]),
        (S.ISSUED, on["handover"]),
    ]


def test_a_step_after_the_shift_ended_is_not_stamped(duty, apply, advance, resident, monkeypatch):
    duty({"registration": ("P", "DAF")}, dt.date(2020, 1, 28))
    _now(monkeypatch, 2020, 1, 28, 15, 0)
    application = apply(resident)
    assert application.events.get().assignment is None


def test_a_night_shift_stamps_steps_after_midnight(duty, apply, resident, monkeypatch):
    on = duty({"registration": ("M", "DAF")}, dt.date(2020, 1, 28))
    _now(monkeypatch, 2020, 1, 29, 2, 15)
    application = apply(resident)
    assert application.events.get().assignment == on["registration"]


def test_a_draft_roster_stamps_nothing(duty, apply, resident, monkeypatch):
    duty({"registration": ("P", "DAF")}, dt.date(2020, 1, 28), publish=False)
    _now(monkeypatch, 2020, 1, 28, 9, 30)
    assert apply(resident).events.get().assignment is None


def test_a_central_result_sheet_moves_many_with_one_stamp(duty, apply, advance, staff, monkeypatch):
    on = duty({"recording": ("S", "REK")}, dt.date(2020, 1, 28))
    _now(monkeypatch, 2020, 1, 28, 16, 0)
    recorded = [advance(apply(make_resident(nik=nik_for(serial))), S.RECORDED) for serial in (1, 2)]

    moved = transitions_bulk(
        [
            (application_lock(recorded[0]), S.PRINT_READY),
            (application_lock(recorded[1]), S.DUPLICATE),
        ],
        actor=staff["recording"],
        note="Hasil pusat 28-01-2020",
    )

    assert moved == 2
    events = ApplicationEvent.objects.filter(note="Hasil pusat 28-01-2020").order_by("id")
    assert [(e.from_status, e.to_status, e.assignment) for e in events] == [
        (S.RECORDED, S.PRINT_READY, on["recording"]),
        (S.RECORDED, S.DUPLICATE, on["recording"]),
    ]
    recorded[0].refresh_from_db()
    assert recorded[0].status == S.PRINT_READY and recorded[0].print_ready_at == events[0].at


def test_a_result_sheet_with_one_impossible_move_moves_nothing(apply, advance, staff):
    recorded = advance(apply(make_resident(nik=nik_for(1))), S.RECORDED)
    submitted = apply(make_resident(nik=nik_for(2)))
    with pytest.raises(ValidationError, match="tidak dapat menjadi “Siap cetak \\(PRR\\)”"):
        transitions_bulk(
            [(recorded, S.PRINT_READY), (submitted, S.PRINT_READY)], actor=staff["recording"]
        )
    recorded.refresh_from_db()
    assert recorded.status == S.RECORDED
    assert not ApplicationEvent.objects.filter(to_status=S.PRINT_READY).exists()


def test_a_result_sheet_cannot_move_one_application_twice(apply, advance, staff):
    recorded = advance(apply(make_resident()), S.RECORDED)
    with pytest.raises(ValidationError, match="muncul lebih dari sekali"):
        transitions_bulk(
            [(recorded, S.PRINT_READY), (recorded, S.DUPLICATE)], actor=staff["recording"]
        )
    recorded.refresh_from_db()
    assert recorded.status == S.RECORDED and recorded.events.count() == 3
