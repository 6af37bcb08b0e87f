"""Printing a card on one specific blank, or recording the blank a failed print spoiled."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from registry.models import ApplicationStatus, CardApplication
from registry.services.notifications import card_printed_notify
from registry.services.transitions import application_lock, move_require, transition
from stock.models import Blank, Location, LocationKind
from stock.services import blank_consume, blank_spoil


def _require_station(station: Location) -> None:
    if station.kind != LocationKind.PRINTER or not station.active:
        raise ValidationError(f"{station} bukan mesin cetak yang aktif.")


@transaction.atomic
def card_print(
    *,
    application: CardApplication,
    blank_serial: str,
    station: Location,
    operator: AbstractBaseUser,
) -> CardApplication:
    """Print the card on the blank with this serial, at the operator's printer station.

    The application is locked before the blank, always in that order, so two operators on
    the same application or the same blank wait for each other instead of deadlocking; the
    second finds the application printed or the blank used and is refused. The message to
    the resident is queued in the same transaction.
    """
    _require_station(station)
    application = application_lock(application)
    move_require(application, ApplicationStatus.PRINTED, operator)
    application.blank = blank_consume(
        serial=blank_serial, location=station, actor=operator, reference=application.number
    )
    transition(
        application,
        to_status=ApplicationStatus.PRINTED,
        actor=operator,
        note=f"Blanko {application.blank.serial} di {station}",
        fields=("blank",),
    )
    card_printed_notify(application)
    return application


@transaction.atomic
def card_print_failed(
    *,
    application: CardApplication,
    blank_serial: str,
    station: Location,
    reason: str,
    operator: AbstractBaseUser,
    note: str = "",
) -> Blank:
    """A print went wrong: the blank is spoiled, the application stays ready to print."""
    _require_station(station)
    if not operator.has_perm("registry.print_card"):
        raise PermissionDenied("Anda tidak berwenang mencetak KTP-el.")
    application = application_lock(application)
    if application.status != ApplicationStatus.PRINT_READY:
        raise ValidationError(
            f"Permohonan {application.number} berstatus “{application.get_status_display()}”, "
            "bukan siap cetak."
        )
    return blank_spoil(
        serial=blank_serial,
        location=station,
        reason=reason,
        actor=operator,
        reference=application.number,
        note=note,
    )
