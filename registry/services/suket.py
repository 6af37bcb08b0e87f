"""Suket: a temporary certificate for a recorded resident while no blank is available."""

import datetime as dt
from calendar import monthrange

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from registry.lifecycle import SUKET_PERMISSION
from registry.models import CardApplication, Suket
from registry.selectors.applications import suket_refusal
from registry.services.transitions import application_lock


def _six_months_later(day: dt.date) -> dt.date:
    """The same day six months on, or the month's last day (31 August → 28/29 February)."""
    year, month = divmod(day.month + 5, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


@transaction.atomic
def suket_issue(*, application: CardApplication, actor: AbstractBaseUser) -> Suket:
    """A temporary certificate for a recorded resident while no blank is available."""
    if not actor.has_perm(SUKET_PERMISSION):
        raise PermissionDenied("Anda tidak berwenang menerbitkan suket.")
    application = application_lock(application)
    if refusal := suket_refusal(application):
        raise ValidationError(refusal)
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
