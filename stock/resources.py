"""django-import-export glue for receipts whose serials come as a list in a spreadsheet.

The admin keeps django-import-export's upload → preview → confirm flow. The preview runs the
real ``receipt_create`` and rolls it back, so it refuses exactly what the confirm step would
(serials already registered, repeated or malformed ones) — the rules live in one place.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from import_export import resources
from import_export.fields import Field
from import_export.results import Error, Result, RowResult

from dukcapil.spreadsheets import Table
from stock.models import Receipt
from stock.services import receipt_create

SERIAL_HEADERS = ("NO_SERI", "NOMOR_SERI", "SERIAL", "NO SERI", "NOMOR SERI")
PREVIEW_SERIALS = 20


def table_serials(table: Table) -> list[str]:
    """The serial column (NO_SERI or a synonym; else the first column) of a table."""
    column = next((table.headers.index(h) for h in SERIAL_HEADERS if h in table.headers), 0)
    return [str(row[column]) for row in table.rows]


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

    def import_data(self, dataset: Table, dry_run: bool = False, **kwargs):
        serials = table_serials(dataset)
        result = ReceiptImportResult(serials)
        try:
            with transaction.atomic():
                result.receipt = receipt_create(
                    serials=serials, actor=kwargs["user"], **kwargs["receipt"]
                )
                if dry_run:
                    transaction.set_rollback(True)
        except ValidationError as exc:
            for message in exc.messages:
                result.append_base_error(Error(message))
        return result
