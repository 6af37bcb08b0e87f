"""Biometric recording and the central system's answers (PRR, duplicate, enrolment failure)."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from registry.models import ApplicationStatus, CardApplication
from registry.selectors.applications import resident_recorded_before
from registry.services.transitions import application_lock, transition

S = ApplicationStatus

# What the central system can answer, by the word on its result sheet.
CENTRAL_RESULTS = {
    "PRR": S.PRINT_READY,
    "DUPLIKAT": S.DUPLICATE,
    "GANDA": S.DUPLICATE,
    "GAGAL REKAM": S.ENROLL_FAILED,
    "GAGAL": S.ENROLL_FAILED,
    "DITOLAK": S.REJECTED,
}


@transaction.atomic
def application_record(
    *, application: CardApplication, actor: AbstractBaseUser, note: str = ""
) -> CardApplication:
    """Mark the biometrics taken; a resident is recorded once in a lifetime."""
    application = application_lock(application)
    # Re-recording after a failed enrolment stays within the same application.
    if application.status == S.VERIFIED and resident_recorded_before(application.resident):
        raise ValidationError(
            f"{application.resident.full_name} sudah pernah direkam; tidak direkam ulang. "
            "Tunggu PRR dari pusat."
        )
    transition(application, to_status=S.RECORDED, actor=actor, note=note)
    return application


def central_result_check(application: CardApplication, to_status: str) -> None:
    """Refuse an answer that does not fit where the application stands."""
    if to_status not in (S.PRINT_READY, S.DUPLICATE, S.ENROLL_FAILED, S.REJECTED):
        raise ValidationError("Hasil pusat tidak dikenal.")
    if to_status == S.REJECTED and application.status != S.DUPLICATE:
        raise ValidationError(
            "Penolakan dari pusat hanya untuk permohonan yang berstatus data ganda."
        )
    if (
        application.status == S.VERIFIED
        and to_status == S.PRINT_READY
        and not resident_recorded_before(application.resident)
    ):
        raise ValidationError(
            f"Permohonan {application.number} belum direkam; PRR hanya setelah perekaman."
        )


@transaction.atomic
def central_result_apply(
    *, application: CardApplication, to_status: str, actor: AbstractBaseUser, note: str = ""
) -> CardApplication:
    """Enter one answer from the central system for one application."""
    application = application_lock(application)
    central_result_check(application, to_status)
    transition(application, to_status=to_status, actor=actor, note=note)
    return application
