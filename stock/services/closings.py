"""Daily closing (stok opname): the ledger's figures for a day against a physical count."""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from stock.models import DailyClosing, Location
from stock.selectors import location_day_figures
from stock.services.ledger import signed


def dailyclosing_create(
    *,
    location: Location,
    day: dt.date,
    physical_count: int,
    actor: AbstractBaseUser,
    note: str = "",
) -> DailyClosing:
    """Close one location's day: figures from the ledger, the count from the clerk."""
    if not actor.has_perm("stock.add_dailyclosing"):
        raise PermissionDenied("Anda tidak berwenang menutup stok harian.")
    if day > timezone.localdate():
        raise ValidationError("Hari yang belum tiba tidak dapat ditutup.")
    if physical_count < 0:
        raise ValidationError("Hitung fisik tidak boleh negatif.")
    figures = location_day_figures(location=location, day=day)
    difference = physical_count - figures["closing"]
    if difference and not note.strip():
        raise ValidationError(
            f"Hitung fisik berselisih {signed(difference)} keping dengan buku; jelaskan selisihnya "
            "di catatan."
        )
    try:
        with transaction.atomic():
            return DailyClosing.objects.create(
                location=location,
                day=day,
                physical_count=physical_count,
                difference=difference,
                note=note.strip(),
                created_by=actor,
                **figures,
            )
    except IntegrityError:
        # The unique (location, day) constraint: someone closed this day first.
        raise ValidationError(
            f"Stok {location} tanggal {day:%d-%m-%Y} sudah ditutup; satu hari hanya sekali."
        ) from None


def dailyclosing_approve(*, closing: DailyClosing, approver: AbstractBaseUser) -> DailyClosing:
    if not approver.has_perm("stock.approve_dailyclosing"):
        raise PermissionDenied("Tutup harian disetujui oleh Kepala Seksi.")
    approved_at = timezone.now()
    # Only a row not yet approved is updated: of two supervisors approving at once, the one
    # whose update changed no row was second. The model's save() refuses to touch an approved
    # closing, so the approval itself is written here and nowhere else.
    approved = DailyClosing.objects.filter(pk=closing.pk, approved_at__isnull=True).update(
        approved_by=approver, approved_at=approved_at
    )
    if not approved:
        raise ValidationError(f"Tutup harian {closing} sudah disetujui.")
    closing.approved_by, closing.approved_at = approver, approved_at
    return closing
