"""Using, spoiling, moving and correcting blanks: the writes printing and the store room make."""

from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dukcapil.formats import grouped
from stock.models import Blank, BlankStatus, Location, LocationKind, MovementKind, SpoilReason
from stock.serials import serials_check
from stock.services.ledger import blanks_lock, blanks_require, movements_write


def _one(serial: str) -> str:
    serial = str(serial).strip().upper()
    if not serial:
        raise ValidationError("Isi nomor seri blanko.")
    return serial


@transaction.atomic
def blank_consume(
    *, serial: str, location: Location, actor: AbstractBaseUser, reference: str
) -> Blank:
    """Use one blank for printing a card: it must be in stock at the operator's station.

    ``reference`` says which card it went into (e.g. the application number), for the audit.
    """
    # Stock has no permission of its own for using a blank (printing is registry's, which
    # stock may not name); whoever may record a print's spoiled blank handles blanks at the
    # printer, and the printing operator holds that one.
    if not actor.has_perm("stock.spoil_blank"):
        raise PermissionDenied("Anda tidak berwenang memakai blanko untuk mencetak KTP-el.")
    (blank,) = blanks_lock([_one(serial)])
    _require_available(blank, location)
    movements_write(
        blanks=[blank],
        kind=MovementKind.USE,
        to_status=BlankStatus.USED,
        to_location=location,
        actor=actor,
        reference=reference,
    )
    blank.status = BlankStatus.USED
    blank.save(update_fields=["status"])
    return blank


@transaction.atomic
def blanks_spoil(
    *,
    serials: Sequence[str],
    location: Location,
    reason: str,
    actor: AbstractBaseUser,
    reference: str = "",
    note: str = "",
) -> list[Blank]:
    """Write off blanks a print (or handling) spoiled, all of them or none; they wait for the
    next destruction.

    A printer operator writes off blanks at a printer station only. Anywhere else (a damaged
    box in the store room) the write-off is the blank keeper's and says what happened.
    """
    _require_may_spoil(actor, location)
    if reason not in SpoilReason.values:
        raise ValidationError("Pilih alasan blanko rusak.")
    if location.kind != LocationKind.PRINTER and not note.strip():
        raise ValidationError(
            f"Blanko rusak di {location} wajib disertai catatan: apa yang terjadi pada blanko itu."
        )
    limit = spoil_limit()
    if len(serials) > limit:
        raise ValidationError(
            f"Paling banyak {grouped(limit)} blanko dalam satu catatan rusak; yang dicantumkan "
            f"{grouped(len(serials))}. Periksa rentang nomor serinya."
        )
    blanks = blanks_lock(serials_check(list(serials)))
    blanks_require(blanks, status=BlankStatus.IN_STOCK, location=location)
    movements_write(
        blanks=blanks,
        kind=MovementKind.SPOIL,
        to_status=BlankStatus.SPOILED,
        to_location=location,
        actor=actor,
        reference=reference,
        note=note.strip() or SpoilReason(reason).label,
    )
    Blank.objects.filter(pk__in=[b.pk for b in blanks]).update(
        status=BlankStatus.SPOILED, spoil_reason=reason
    )
    for blank in blanks:
        blank.status, blank.spoil_reason = BlankStatus.SPOILED, reason
    return blanks


def blank_spoil(
    *,
    serial: str,
    location: Location,
    reason: str,
    actor: AbstractBaseUser,
    reference: str = "",
    note: str = "",
) -> Blank:
    """The one blank a failed print spoiled."""
    (blank,) = blanks_spoil(
        serials=[serial],
        location=location,
        reason=reason,
        actor=actor,
        reference=reference,
        note=note,
    )
    return blank


def spoil_limit() -> int:
    return settings.DUKCAPIL_SPOIL_MAX_SERIALS


def _require_may_spoil(actor: AbstractBaseUser, location: Location) -> None:
    if not actor.has_perm("stock.spoil_blank"):
        raise PermissionDenied("Anda tidak berwenang mencatat blanko rusak.")
    if location.kind != LocationKind.PRINTER and not actor.has_perm("stock.spoil_stored_blank"):
        raise PermissionDenied(
            f"Blanko di {location} hanya dapat dicatat rusak oleh Pengelola Blanko; operator "
            "cetak mencatat blanko rusak di mesin cetak."
        )


def _require_available(blank: Blank, location: Location) -> None:
    if blank.status != BlankStatus.IN_STOCK:
        raise ValidationError(
            f"Blanko {blank.serial} tidak tersedia: statusnya {blank.get_status_display().lower()}."
        )
    if blank.location_id != location.pk:
        raise ValidationError(
            f"Blanko {blank.serial} tidak berada di {location} tetapi di {blank.location}."
        )


@transaction.atomic
def blanks_transfer(
    *,
    serials: Sequence[str],
    from_location: Location,
    to_location: Location,
    actor: AbstractBaseUser,
    reference: str = "",
) -> int:
    """Move blanks in stock from one location to another; all of them or none."""
    if not actor.has_perm("stock.transfer_blank"):
        raise PermissionDenied("Anda tidak berwenang memindahkan blanko.")
    if from_location.pk == to_location.pk:
        raise ValidationError("Lokasi asal dan tujuan sama.")
    if not to_location.active:
        raise ValidationError(f"Lokasi {to_location} tidak aktif.")
    blanks = blanks_lock(serials_check(list(serials)))
    blanks_require(blanks, status=BlankStatus.IN_STOCK, location=from_location)
    movements_write(
        blanks=blanks,
        kind=MovementKind.TRANSFER,
        to_status=BlankStatus.IN_STOCK,
        to_location=to_location,
        actor=actor,
        reference=reference,
    )
    return Blank.objects.filter(pk__in=[b.pk for b in blanks]).update(location=to_location)


ADJUSTABLE = [BlankStatus.IN_STOCK, BlankStatus.LOST]


@transaction.atomic
def stock_adjust(
    *,
    serial: str,
    status: str,
    location: Location,
    actor: AbstractBaseUser,
    note: str,
) -> Blank:
    """A supervisor's correction: a blank found missing (lost), or found again (in stock).

    The ledger keeps the old entries; the correction is a new one with its reason.
    """
    if not actor.has_perm("stock.adjust_stock"):
        raise PermissionDenied("Koreksi stok hanya oleh Kepala Seksi.")
    if not note.strip():
        raise ValidationError("Koreksi stok wajib disertai catatan alasannya.")
    if status not in ADJUSTABLE:
        raise ValidationError("Koreksi hanya dapat menjadikan blanko tersedia atau hilang.")
    (blank,) = blanks_lock([_one(serial)])
    if blank.status in (BlankStatus.USED, BlankStatus.DESTROYED):
        raise ValidationError(
            f"Blanko {blank.serial} sudah {blank.get_status_display().lower()}; tidak dapat "
            "dikoreksi."
        )
    if blank.status == status and blank.location_id == location.pk:
        raise ValidationError(f"Blanko {blank.serial} sudah berstatus dan berlokasi demikian.")
    movements_write(
        blanks=[blank],
        kind=MovementKind.ADJUST,
        to_status=status,
        to_location=location,
        actor=actor,
        note=note.strip(),
    )
    blank.status, blank.location, blank.spoil_reason = status, location, ""
    blank.save(update_fields=["status", "location", "spoil_reason"])
    return blank
