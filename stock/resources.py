"""django-import-export glue for receipts whose serials come as a list in a spreadsheet.

The admin keeps django-import-export's upload → preview → confirm flow. The preview runs the
real ``receipt_create`` and rolls it back, so it refuses exactly what the confirm step would
(serials already registered, repeated or malformed ones) — the rules live in one place.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from import_export import resources
from import_export.fields import Field
from import_export.results import Error, Result, RowResult

from dukcapil.spreadsheets import HeaderRow, Workbook
from stock.models import Receipt
from stock.services import receipt_create

SERIAL_HEADERS = ("NO_SERI", "NOMOR_SERI", "SERIAL", "NO SERI", "NOMOR SERI")
HEADER_ROW = HeaderRow((SERIAL_HEADERS,))
PREVIEW_SERIALS = 20
# A resident list's NIK or No. KK column: a mistake, never a batch of blanks.
_IDENTITY_NUMBER = re.compile(r"[0-9]{16}")


def workbook_serials(workbook: Workbook) -> list[str]:
    """The NO_SERI column (or a synonym) of the sheet whose header row names it."""
    table = workbook.table(HEADER_ROW)
    table.refuse_bad_cells()
    column = next(table.headers.index(h) for h in SERIAL_HEADERS if h in table.headers)
    serials = [str(row[column]).strip() for row in table.rows]
    numbers = [
        n for n, s in zip(table.row_numbers, serials, strict=True) if _IDENTITY_NUMBER.fullmatch(s)
    ]
    if numbers:
        shown = ", ".join(str(n) for n in numbers[:10]) + (
            " dan lainnya" if len(numbers) > 10 else ""
        )
        raise ValidationError(
            f"Kolom {table.headers[column]} berisi angka 16 digit seperti NIK atau No. KK "
            f"(baris {shown}), bukan nomor seri blanko. Periksa berkasnya."
        )
    return serials


class ReceiptImportResult(Result):
    def __init__(self, serials: list[str], receipt: Receipt | None = None):
        super().__init__()
        self.serials = serials
        self.receipt = receipt
        self.diff_headers = ["NO_SERI"]
        self.totals[RowResult.IMPORT_TYPE_NEW] = len(serials)

    @property
    def preview_serials(self) -> list[str]:
        return self.serials[:PREVIEW_SERIALS]


class ReceiptSerialsResource(resources.ModelResource):
    """One receipt from a spreadsheet listing its serials; the rest comes from the form."""

    class Meta:
        model = Receipt
        fields = ()

    def get_user_visible_fields(self):
        return [Field(column_name="NO_SERI")]

    def import_data(self, dataset: Workbook, dry_run: bool = False, **kwargs):
        result = ReceiptImportResult([])
        try:
            result = ReceiptImportResult(workbook_serials(dataset))
            with transaction.atomic():
                # The preview shows how many blanks the file lists and nothing is saved until
                # the clerk confirms it: that step is the confirmation a large receipt needs.
                result.receipt = receipt_create(
                    serials=result.serials,
                    actor=kwargs["user"],
                    large_confirmed=True,
                    **kwargs["receipt"],
                )
                if dry_run:
                    transaction.set_rollback(True)
        except ValidationError as exc:
            for message in exc.messages:
                result.append_base_error(Error(message))
        return result
