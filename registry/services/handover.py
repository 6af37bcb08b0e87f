"""Handing a printed card to the resident in person (anti-calo)."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dukcapil.privacy import number_typed
from registry.lifecycle import OLD_CARD_RETURNED
from registry.models import (
    ApplicationStatus,
    CardApplication,
    HandoverRefusal,
    LifeStatus,
    Resident,
    VerificationMethod,
)
from registry.services.transitions import application_lock, move_require, transition

FAMILY_POLICY = "family"


def proxy_refusal(application: CardApplication, proxy_nik: str, original_card: bool) -> str:
    """Why this proxy may not collect the card, or "" when the policy allows them."""
    if settings.DUKCAPIL_HANDOVER_PROXY_POLICY != FAMILY_POLICY:
        return "KTP-el hanya diserahkan kepada pemiliknya sendiri; pengambilan diwakilkan ditolak."
    family = Resident.objects.filter(
        nik=proxy_nik,
        kk_number=application.resident.kk_number,
        life_status=LifeStatus.ALIVE,
    ).exclude(pk=application.resident_id)
    if not family.exists():
        return "Pengambil bukan anggota keluarga dalam Kartu Keluarga yang sama."
    if not original_card:
        return "Pengambil wajib menunjukkan KTP-el asli miliknya."
    return ""


def card_hand_over(
    *,
    application: CardApplication,
    actor: AbstractBaseUser,
    verification_method: str,
    proxy_name: str = "",
    proxy_nik: str = "",
    proxy_original_card: bool = False,
    old_card_collected: bool = False,
) -> CardApplication:
    """Hand the printed card over, identity verified; a refused proxy is kept on record."""
    if not actor.has_perm("registry.hand_over_card"):
        raise PermissionDenied("Anda tidak berwenang menyerahkan KTP-el.")
    # No method is assumed: the clerk states the check actually made.
    if verification_method not in VerificationMethod.values:
        raise ValidationError("Pilih cara verifikasi identitas pengambil.")
    proxy_name, proxy_nik = proxy_name.strip().upper(), number_typed(proxy_nik)
    if proxy_name or proxy_nik:
        if not (proxy_name and proxy_nik):
            raise ValidationError("Isi nama dan NIK pengambil.")
        reason = _proxy_refusal_record(
            application=application,
            actor=actor,
            proxy_name=proxy_name,
            proxy_nik=proxy_nik,
            original_card=proxy_original_card,
        )
        if reason:
            # Raised only after the refusal is committed: repeated attempts point to a broker.
            raise ValidationError(reason)
    return _hand_over(
        application=application,
        actor=actor,
        verification_method=verification_method,
        proxy_name=proxy_name,
        proxy_nik=proxy_nik,
        old_card_collected=old_card_collected,
    )


@transaction.atomic
def _proxy_refusal_record(
    *,
    application: CardApplication,
    actor: AbstractBaseUser,
    proxy_name: str,
    proxy_nik: str,
    original_card: bool,
) -> str:
    """Keep a refused proxy attempt on a card waiting for collection; return the reason."""
    application = application_lock(application)
    # A card that is not waiting to be collected is refused as such, not as a proxy attempt.
    move_require(application, ApplicationStatus.ISSUED, actor)
    reason = proxy_refusal(application, proxy_nik, original_card)
    if reason:
        HandoverRefusal.objects.create(
            application=application,
            at=timezone.now(),
            actor=actor,
            proxy_name=proxy_name,
            proxy_nik=proxy_nik,
            reason=reason,
        )
    return reason


@transaction.atomic
def _hand_over(
    *,
    application: CardApplication,
    actor: AbstractBaseUser,
    verification_method: str,
    proxy_name: str,
    proxy_nik: str,
    old_card_collected: bool,
) -> CardApplication:
    application = application_lock(application)
    move_require(application, ApplicationStatus.ISSUED, actor)
    if application.kind in OLD_CARD_RETURNED and not old_card_collected:
        raise ValidationError(
            f"Untuk permohonan {application.get_kind_display().lower()}, KTP-el lama wajib "
            "ditarik saat penyerahan."
        )
    application.handed_over_by = actor
    application.verification_method = verification_method
    application.proxy_name, application.proxy_nik = proxy_name, proxy_nik
    application.old_card_collected = old_card_collected
    note = f"Diambil oleh {proxy_name} ({proxy_nik})" if proxy_name else ""
    transition(
        application,
        to_status=ApplicationStatus.ISSUED,
        actor=actor,
        note=note,
        fields=(
            "handed_over_by",
            "verification_method",
            "proxy_name",
            "proxy_nik",
            "old_card_collected",
        ),
    )
    application.sukets.filter(returned_at__isnull=True).update(returned_at=application.issued_at)
    return application
