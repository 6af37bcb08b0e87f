"""Suket: a temporary certificate for a recorded resident while no blank is available."""

import datetime as dt
from calendar import monthrange

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from registry.models import ApplicationStatus, CardApplication, Suket
from registry.selectors.applications import resident_recorded_before
from registry.services.transitions import application_lock
from stock.selectors import blanks_in_stock

# A suket stands in for a card that cannot be printed yet: never once it is printed.
SUKET_STATUSES = (
    ApplicationStatus.VERIFIED,
    ApplicationStatus.RECORDED,
    ApplicationStatus.PRINT_READY,
    ApplicationStatus.DUPLICATE,
)


def _six_months_later(day: dt.date) -> dt.date:
    """The same day six months on, or the month's last day (31 August → 28/29 February)."""
    year, month = divmod(day.month + 5, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


@transaction.atomic
def suket_issue(*, application: CardApplication, actor: AbstractBaseUser) -> Suket:
    """A temporary certificate for a recorded resident while no blank is available."""
    if not actor.has_perm("registry.issue_suket"):
        raise PermissionDenied("Anda tidak berwenang menerbitkan suket.")
    application = application_lock(application)
    if application.status not in SUKET_STATUSES or not resident_recorded_before(
        application.resident
    ):
        raise ValidationError(
            "Suket hanya untuk penduduk yang sudah direkam dan kartunya belum tercetak."
        )
    if settings.DUKCAPIL_SUKET_REFUSED_WHILE_STOCK:
        in_stock = blanks_in_stock()
        if in_stock:
            raise ValidationError(
                f"Blanko masih tersedia ({in_stock} keping): cetak KTP-el, bukan suket."
            )
    if application.sukets.filter(returned_at__isnull=True).exists():
        raise ValidationError(f"Permohonan {application.number} sudah memiliki suket yang berlaku.")
    now = timezone.now()
    suket = Suket.objects.create(
        application=application,
        number=f"sementara-{application.pk}-{now.timestamp()}",
        issued_at=now,
        issued_by=actor,
        valid_until=_six_months_later(timezone.localdate(now)),
    )
    suket.number = f"474.11/{suket.pk:06d}/DKCS/{now.year}"
    suket.save(update_fields=["number"])
    return suket
