"""Receiving a batch of blanks: one Blank per serial and its ledger row, all or nothing; and
taking back a receipt recorded by mistake."""

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dukcapil.bulk import insert_rows
from dukcapil.formats import grouped
from dukcapil.locks import advisory_lock, locked
from stock.models import Blank, BlankStatus, BudgetLine, Location, Movement, MovementKind, Receipt
from stock.serials import is_range_text, serials_check, serials_listed, serials_parse
from stock.services.ledger import blanks_with_serials, movements_write


def receipt_create(
    *,
    received_on: dt.date,
    source: str,
    reference: str,
    quantity: int,
    serials: str | Sequence[str],
    location: Location,
    actor: AbstractBaseUser,
    unit_cost: int = 0,
    budget_line: BudgetLine | None = None,
    large_confirmed: bool = False,
) -> Receipt:
    """Record a receipt; ``serials`` is a range/list as typed, or a list (e.g. from a file).

    ``quantity`` is the number of blanks its BAST states: the serials must come to exactly
    that. A receipt above DUKCAPIL_RECEIPT_CONFIRM_ABOVE
    blanks needs ``large_confirmed``: one mistyped digit in a range books 100,000 blanks.
    """
    if not actor.has_perm("stock.add_receipt"):
        raise PermissionDenied("Anda tidak berwenang mencatat penerimaan blanko.")
    is_range = isinstance(serials, str) and is_range_text(serials)
    serial_list = serials_parse(serials) if isinstance(serials, str) else serials_check(serials)
    _require_plausible(len(serial_list), quantity=quantity, large_confirmed=large_confirmed)
    if not reference.strip():
        raise ValidationError("Isi nomor BAST (berita acara serah terima) penerimaan.")
    if not location.active:
        raise ValidationError(f"Lokasi {location} tidak aktif.")
    if received_on > timezone.localdate():
        raise ValidationError("Tanggal terima tidak boleh di masa depan.")
    with transaction.atomic():
        _lock_receipts()
        existing = _existing(serial_list)
        if existing:
            raise ValidationError(
                f"{grouped(len(existing))} nomor seri sudah terdaftar, penerimaan ditolak: "
                f"{serials_listed(existing)}."
            )
        receipt = Receipt.objects.create(
            received_on=received_on,
            source=source,
            reference=reference.strip(),
            quantity=len(serial_list),
            serial_first=serial_list[0],
            serial_last=serial_list[-1],
            is_range=is_range,
            unit_cost=unit_cost,
            budget_line=budget_line,
            location=location,
            received_by=actor,
        )
        ids = insert_rows(
            Blank,
            [
                {
                    "serial": serial,
                    "receipt_id": receipt.pk,
                    "location_id": location.pk,
                    "status": BlankStatus.IN_STOCK,
                    "spoil_reason": "",
                    "destruction_id": None,
                }
                for serial in serial_list
            ],
        )
        now = timezone.now()
        insert_rows(
            Movement,
            [
                {
                    "kind": MovementKind.RECEIVE,
                    "blank_id": blank_id,
                    "from_location_id": None,
                    "from_status": "",
                    "to_location_id": location.pk,
                    "to_status": BlankStatus.IN_STOCK,
                    "actor_id": actor.pk,
                    "at": now,
                    "reference": f"BAST {receipt.reference}",
                    "note": "",
                }
                for blank_id in ids
            ],
        )
    return receipt


def receipt_confirm_above() -> int:
    return settings.DUKCAPIL_RECEIPT_CONFIRM_ABOVE


def _require_plausible(count: int, *, quantity: int, large_confirmed: bool) -> None:
    if count != quantity:
        raise ValidationError(
            f"Nomor seri yang dicantumkan berjumlah {grouped(count)} blanko, sedangkan BAST "
            f"menyebut {grouped(quantity)} keping. Periksa rentang atau daftar nomor serinya."
        )
    if count > receipt_confirm_above() and not large_confirmed:
        raise ValidationError(
            f"Penerimaan {grouped(count)} blanko jauh di atas biasanya (lebih dari "
            f"{grouped(receipt_confirm_above())}). Periksa rentangnya; bila memang benar, "
            "centang konfirmasi penerimaan besar."
        )


@transaction.atomic
def receipt_void(*, receipt: Receipt, actor: AbstractBaseUser, reason: str) -> Receipt:
    """Take a receipt recorded by mistake back out of the stock, with the reason.

    The ledger keeps the receipt's entries; each blank gets a reversing entry and leaves the
    stock as voided. Only while none of its blanks has moved or been used. A second click finds
    the receipt voided already and changes nothing.
    """
    if not actor.has_perm("stock.void_receipt"):
        raise PermissionDenied("Penerimaan blanko hanya dapat dibatalkan oleh Kepala Seksi.")
    if not reason.strip():
        raise ValidationError("Tuliskan alasan pembatalan penerimaan ini.")
    receipt = locked(Receipt.objects.filter(pk=receipt.pk).select_related("location")).get()
    if receipt.is_voided:
        return receipt
    blanks = list(
        locked(Blank.objects.filter(receipt=receipt).order_by("pk")).only(
            "pk", "status", "location_id"
        )
    )
    _require_untouched(receipt)
    movements_write(
        blanks=blanks,
        kind=MovementKind.VOID,
        to_status=BlankStatus.VOIDED,
        to_location=receipt.location,
        actor=actor,
        reference=f"BAST {receipt.reference}",
        note=reason.strip(),
    )
    Blank.objects.filter(receipt=receipt).update(status=BlankStatus.VOIDED)
    receipt.voided_at, receipt.voided_by, receipt.void_reason = (
        timezone.now(),
        actor,
        reason.strip(),
    )
    receipt.save(update_fields=["voided_at", "voided_by", "void_reason"])
    return receipt


def _require_untouched(receipt: Receipt) -> None:
    # Every change of a blank writes a ledger entry, so anything but its receipt entry means
    # the blank was moved, used, spoiled or corrected: the stock already depends on it.
    touched = (
        Movement.objects.filter(blank__receipt=receipt)
        .exclude(kind=MovementKind.RECEIVE)
        .values_list("blank__serial", flat=True)
        .distinct()
        .order_by("blank__serial")
    )
    serials = list(touched[:5])
    if serials:
        raise ValidationError(
            f"Penerimaan {receipt.reference} tidak dapat dibatalkan: sebagian blankonya sudah "
            f"dipindah, dipakai atau dicatat rusak (antara lain {', '.join(serials)}). "
            "Koreksi stok per blanko bila memang salah catat."
        )


def _lock_receipts() -> None:
    # Two receipts with overlapping serials at once: the second waits and then sees the first's
    # serials, so it is refused with the list instead of failing on the unique index.
    advisory_lock("stock.receipt_create")


def _existing(serials: list[str]) -> list[str]:
    return sorted(blanks_with_serials(serials).values_list("serial", flat=True))
