"""Receiving a batch of blanks: one Blank per serial and its ledger row, all or nothing."""

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from dukcapil.bulk import insert_rows
from stock.models import Blank, BlankStatus, BudgetLine, Location, Movement, MovementKind, Receipt
from stock.serials import is_range_text, serials_check, serials_listed, serials_parse
from stock.services.ledger import blanks_with_serials


def receipt_create(
    *,
    received_on: dt.date,
    source: str,
    reference: str,
    serials: str | Sequence[str],
    location: Location,
    actor: AbstractBaseUser,
    unit_cost: int = 0,
    budget_line: BudgetLine | None = None,
) -> Receipt:
    """Record a receipt; ``serials`` is a range/list as typed, or a list (e.g. from a file)."""
    is_range = isinstance(serials, str) and is_range_text(serials)
    serial_list = serials_parse(serials) if isinstance(serials, str) else serials_check(serials)
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
                f"{len(existing)} nomor seri sudah terdaftar, penerimaan ditolak: "
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


def _lock_receipts() -> None:
    # Two receipts with overlapping serials at once: the second waits and then sees the first's
    # serials, so it is refused with the list instead of failing on the unique index.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('stock.receipt_create'))")


def _existing(serials: list[str]) -> list[str]:
    return sorted(blanks_with_serials(serials).values_list("serial", flat=True))
