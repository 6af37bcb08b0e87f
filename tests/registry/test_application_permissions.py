"""Each desk takes its own step and no other: anyone else is refused and nothing changes."""

import pytest
from django.core.exceptions import PermissionDenied

from registry.models import ApplicationEvent, ApplicationStatus, CardApplication, Suket
from registry.services.applications import (
    application_cancel,
    application_reject,
    application_submit,
    berkas_check,
)
from registry.services.handover import card_hand_over
from registry.services.printing import card_print, card_print_failed
from registry.services.recording import application_record, central_result_apply
from registry.services.suket import suket_issue
from stock.models import Blank, Movement

S = ApplicationStatus
pytestmark = pytest.mark.django_db

ROLES = [
    "registration",
    "recording",
    "printing",
    "handover",
    "keeper",
    "supervisor",
    "administrator",
    "nobody",
]

# step → (status after it, status it starts from, the one role that takes it, how)
STEPS = {
    "submit": (
        S.SUBMITTED,
        None,
        "registration",
        lambda a, user, ctx: application_submit(
            resident=ctx["resident"], kind="baru", actor=user, applicant_present=True
        ),
    ),
    "berkas": (
        S.VERIFIED,
        S.SUBMITTED,
        "registration",
        lambda a, user, ctx: berkas_check(application=a, verified_kinds=["kk"], actor=user),
    ),
    "reject": (
        S.REJECTED,
        S.SUBMITTED,
        "registration",
        lambda a, user, ctx: application_reject(application=a, actor=user, reason="KK palsu"),
    ),
    "record": (
        S.RECORDED,
        S.VERIFIED,
        "recording",
        lambda a, user, ctx: application_record(application=a, actor=user),
    ),
    "prr": (
        S.PRINT_READY,
        S.RECORDED,
        "recording",
        lambda a, user, ctx: central_result_apply(
            application=a, to_status=S.PRINT_READY, actor=user
        ),
    ),
    "print": (
        S.PRINTED,
        S.PRINT_READY,
        "printing",
        lambda a, user, ctx: card_print(
            application=a, blank_serial="KTP0001", station=ctx["station"], operator=user
        ),
    ),
    "print_failed": (
        S.PRINT_READY,
        S.PRINT_READY,
        "printing",
        lambda a, user, ctx: card_print_failed(
            application=a,
            blank_serial="KTP0001",
            station=ctx["station"],
            reason="gagal_encode",
            operator=user,
        ),
    ),
    "hand_over": (
        S.ISSUED,
        S.PRINTED,
        "handover",
        lambda a, user, ctx: card_hand_over(
            application=a, actor=user, verification_method="sidik_jari"
        ),
    ),
    "cancel": (
        S.CANCELLED,
        S.RECORDED,
        "supervisor",
        lambda a, user, ctx: application_cancel(application=a, actor=user, reason="Meninggal"),
    ),
    "suket": (
        S.PRINT_READY,
        S.PRINT_READY,
        "registration",
        lambda a, user, ctx: suket_issue(application=a, actor=user),
    ),
}


def _state():
    return (
        list(CardApplication.objects.values_list("status", "blank_id")),
        ApplicationEvent.objects.count(),
        list(Blank.objects.values_list("serial", "status")),
        Movement.objects.count(),
        Suket.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", STEPS)
def test_each_role_takes_its_own_step_and_no_other(
    apply, advance, resident, staff, station, stock_in, make_user, step, role
):
    after, start, allowed, run = STEPS[step]
    user = make_user(None) if role == "nobody" else staff[role]
    if step != "suket":  # a suket is refused while blanks are in stock
        stock_in()
    application = None
    if start is not None:
        application = advance(apply(resident), start)
    context = {"resident": resident, "station": station}
    before = _state()

    if role == allowed:
        run(application, user, context)
        assert CardApplication.objects.get().status == after
        assert _state() != before
        return
    with pytest.raises(PermissionDenied):
        run(application, user, context)
    assert _state() == before


def test_the_supervisor_may_cancel_at_any_open_status_but_takes_no_desk_step(
    apply, advance, resident, staff
):
    application = advance(apply(resident), S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        berkas_check(application=application, verified_kinds=["kk"], actor=staff["supervisor"])
    application_cancel(application=application, actor=staff["supervisor"], reason="Permintaan")
    application.refresh_from_db()
    assert application.status == S.CANCELLED
