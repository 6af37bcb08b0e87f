"""Berita acara pemusnahan: spoiled blanks destroyed before witnesses, signed by a supervisor."""

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from stock.models import Blank, BlankStatus, Destruction, MovementKind
from stock.serials import serials_check
from stock.services.ledger import blanks_lock, blanks_require, movements_write

MIN_WITNESSES = 2


@transaction.atomic
def destruction_create(
    *,
    serials: Sequence[str],
    destroyed_on: dt.date,
    witnesses: str,
    actor: AbstractBaseUser,
    method: str = "Dibakar",
    place: str = "",
    returned_old_cards: int = 0,
    note: str = "",
) -> Destruction:
    """Record a destruction; only spoiled blanks can be destroyed, each exactly once."""
    if not actor.has_perm("stock.add_destruction"):
        raise PermissionDenied("Anda tidak berwenang mencatat pemusnahan blanko.")
    if destroyed_on > timezone.localdate():
        raise ValidationError("Tanggal pemusnahan tidak boleh di masa depan.")
    witness_lines = [line for line in witnesses.splitlines() if line.strip()]
    if len(witness_lines) < MIN_WITNESSES:
        raise ValidationError(
            f"Pemusnahan harus disaksikan paling sedikit {MIN_WITNESSES} orang "
            "(satu saksi per baris: nama — jabatan)."
        )
    serial_list = serials_check(list(serials)) if serials else []
    if not serial_list and not returned_old_cards:
        raise ValidationError("Tidak ada blanko rusak atau KTP-el lama yang dimusnahkan.")
    blanks = blanks_lock(serial_list) if serial_list else []
    blanks_require(blanks, status=BlankStatus.SPOILED)
    destruction = Destruction.objects.create(
        destroyed_on=destroyed_on,
        method=method.strip() or "Dibakar",
        place=place.strip(),
        witnesses="\n".join(line.strip() for line in witness_lines),
        returned_old_cards=returned_old_cards,
        note=note,
        created_by=actor,
    )
    # One ledger row per blank, each leaving "spoiled" at the place it was kept.
    for location_id in {b.location_id for b in blanks}:
        here = [b for b in blanks if b.location_id == location_id]
        movements_write(
            blanks=here,
            kind=MovementKind.DESTROY,
            to_status=BlankStatus.DESTROYED,
            to_location=here[0].location,
            actor=actor,
            reference=f"Berita acara pemusnahan no. {destruction.pk}",
        )
    Blank.objects.filter(pk__in=[b.pk for b in blanks]).update(
        status=BlankStatus.DESTROYED, destruction=destruction
    )
    return destruction


@transaction.atomic
def destruction_approve(*, destruction: Destruction, approver: AbstractBaseUser) -> Destruction:
    if not approver.has_perm("stock.approve_destruction"):
        raise PermissionDenied("Berita acara pemusnahan disetujui oleh Kepala Seksi.")
    destruction = Destruction.objects.select_for_update().get(pk=destruction.pk)
    if destruction.approved_at:
        raise ValidationError(f"{destruction} sudah disetujui.")
    destruction.approved_by, destruction.approved_at = approver, timezone.now()
    destruction.save(update_fields=["approved_by", "approved_at"])
    return destruction
