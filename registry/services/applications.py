"""Receiving an application and checking its berkas; rejecting and cancelling."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dukcapil.locks import locked
from registry.lifecycle import REQUIRED_DOCUMENTS
from registry.models import (
    ApplicationKind,
    ApplicationStatus,
    CardApplication,
    DocumentCheck,
    DocumentKind,
    LifeStatus,
    Nationality,
    Resident,
)
from registry.selectors.applications import open_application, resident_recorded_before
from registry.services.transitions import application_lock, event_write, transition

_DOCUMENT_LABELS = dict(DocumentKind.choices)

# A card can only be replaced if one was made: the resident must have recorded before.
REPLACEMENTS = (ApplicationKind.LOST, ApplicationKind.DAMAGED, ApplicationKind.DATA_CHANGE)


@transaction.atomic
def application_submit(
    *,
    resident: Resident,
    kind: str,
    actor: AbstractBaseUser,
    applicant_present: bool,
    documents_present: Iterable[str] = (),
    phone: str = "",
    helper_name: str = "",
) -> CardApplication:
    """Receive an application from the resident in person, with the documents they brought."""
    if not actor.has_perm("registry.add_cardapplication"):
        raise PermissionDenied("Anda tidak berwenang menerima permohonan KTP-el.")
    if not applicant_present:
        raise ValidationError(
            "Pemohon wajib hadir sendiri; permohonan tidak diterima melalui perantara."
        )
    if kind not in ApplicationKind.values:
        raise ValidationError("Pilih jenis permohonan.")
    # Locking the resident makes a double click or a second clerk wait for the first.
    resident = locked(Resident.objects.with_eligibility()).get(pk=resident.pk)
    _require_can_apply(resident, kind)
    now = timezone.now()
    application = CardApplication.objects.create(
        resident=resident,
        kind=kind,
        status=ApplicationStatus.SUBMITTED,
        applicant_present=True,
        phone=phone_normalise(phone),
        helper_name=helper_name.strip().upper(),
        submitted_by=actor,
        submitted_at=now,
    )
    present = set(documents_present)
    DocumentCheck.objects.bulk_create(
        DocumentCheck(application=application, kind=doc, present=doc in present)
        for doc in REQUIRED_DOCUMENTS[kind]
    )
    event_write(application, from_status="", actor=actor, at=now)
    return application


def phone_normalise(phone: str) -> str:
    """One spelling per number ("+62 812-3456-7890" → "081234567890"), so a number shared
    across families is recognised however it was typed."""
    digits = "".join(c for c in phone if c.isdigit())
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def _require_can_apply(resident: Resident, kind: str) -> None:
    if resident.life_status != LifeStatus.ALIVE:
        raise ValidationError(
            f"{resident.full_name} berstatus {resident.get_life_status_display().lower()}; "
            "permohonan tidak dapat diterima."
        )
    if not resident.is_eligible:
        raise ValidationError(
            f"{resident.full_name} belum wajib KTP: belum berumur 17 tahun dan belum pernah kawin."
        )
    foreigner = resident.nationality == Nationality.FOREIGNER
    if foreigner != (kind == ApplicationKind.FOREIGNER):
        raise ValidationError(
            "Permohonan WNA pemegang ITAP hanya untuk penduduk WNA, dan penduduk WNA hanya "
            "dapat mengajukan permohonan WNA pemegang ITAP."
        )
    current = open_application(resident)
    if current:
        raise ValidationError(
            f"{resident.full_name} masih memiliki permohonan {current.number} berstatus "
            f"“{current.get_status_display()}”; selesaikan atau batalkan dulu."
        )
    if kind in REPLACEMENTS and not resident_recorded_before(resident):
        raise ValidationError(
            f"{resident.full_name} belum pernah direkam, jadi belum punya KTP-el untuk diganti; "
            "ajukan permohonan baru."
        )


@transaction.atomic
def berkas_check(
    *, application: CardApplication, verified_kinds: Iterable[str], actor: AbstractBaseUser
) -> CardApplication:
    """Record the documents a clerk checked; the application is verified once all are."""
    application = application_lock(application)
    if not actor.has_perm("registry.verify_documents"):
        raise PermissionDenied("Anda tidak berwenang memeriksa berkas.")
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(
            f"Berkas permohonan {application.number} sudah diperiksa "
            f"(status “{application.get_status_display()}”)."
        )
    documents = {d.kind: d for d in application.documents.select_for_update()}
    kinds = set(verified_kinds)
    unknown = kinds - documents.keys()
    if unknown:
        raise ValidationError(
            "Dokumen ini tidak diperlukan untuk permohonan "
            f"{application.get_kind_display().lower()}: "
            + ", ".join(_DOCUMENT_LABELS.get(k, k) for k in sorted(unknown))
            + "."
        )
    now = timezone.now()
    for kind in kinds:
        document = documents[kind]
        if document.verified_by_id is None:
            document.present, document.verified_by, document.verified_at = True, actor, now
            document.save(update_fields=["present", "verified_by", "verified_at"])
    if all(d.verified_by_id for d in documents.values()):
        transition(application, to_status=ApplicationStatus.VERIFIED, actor=actor)
    return application


@transaction.atomic
def application_reject(
    *, application: CardApplication, actor: AbstractBaseUser, reason: str
) -> CardApplication:
    """Refuse an application (berkas not genuine, central system refused a duplicate…)."""
    if not reason.strip():
        raise ValidationError("Tuliskan alasan penolakan.")
    application = application_lock(application)
    transition(application, to_status=ApplicationStatus.REJECTED, actor=actor, note=reason.strip())
    return application


@transaction.atomic
def application_cancel(
    *, application: CardApplication, actor: AbstractBaseUser, reason: str
) -> CardApplication:
    """Close an open application on a supervisor's decision, with the reason on record."""
    if not reason.strip():
        raise ValidationError("Tuliskan alasan pembatalan.")
    application = application_lock(application)
    transition(application, to_status=ApplicationStatus.CANCELLED, actor=actor, note=reason.strip())
    return application
