"""django-import-export glue for the resident import: formats and the resource.

The admin keeps django-import-export's upload → preview → confirm flow; the rows themselves
are read by dukcapil.spreadsheets and imported set-based by services.resident_import, whose
report travels to the preview page inside the Result.
"""

import time
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from import_export import resources
from import_export.fields import Field
from import_export.results import Error, InvalidRow, Result, RowResult

from dukcapil.spreadsheets import Table
from registry.models import Resident
from registry.services.resident_import import (
    ResidentImportReport,
    rejected_rows_xlsx,
    resident_import,
)
from registry.siak import COLUMNS

PREVIEW_ROWS = 50
REJECTED_DIR = settings.MEDIA_ROOT / "import_ditolak"
REJECTED_KEEP_SECONDS = 24 * 60 * 60


class ResidentImportResult(Result):
    """A Result that also carries the import report and the rejected-rows file token."""

    def __init__(self, report: ResidentImportReport, *, valid_only: bool):
        super().__init__()
        self.report = report
        self.valid_only = valid_only
        self.rejected_token = _save_rejected_rows(report) if report.rejected else ""
        self.diff_headers = [c.header for c in COLUMNS]
        for message in report.file_problems:
            self.append_base_error(Error(message))
        if not valid_only:
            for row in report.rejected:
                errors = {p.column: [p.message] for p in row.problems}
                self.invalid_rows.append(InvalidRow(row.number, ValidationError(errors), row.cells))
        self.totals[RowResult.IMPORT_TYPE_NEW] = len(report.created)
        self.totals[RowResult.IMPORT_TYPE_UPDATE] = len(report.updated)
        self.totals[RowResult.IMPORT_TYPE_SKIP] = report.unchanged
        self.totals[RowResult.IMPORT_TYPE_INVALID] = len(report.rejected)

    @property
    def preview_created(self):
        return self.report.created[:PREVIEW_ROWS]

    @property
    def preview_updated(self):
        return self.report.updated[:PREVIEW_ROWS]


def _save_rejected_rows(report: ResidentImportReport) -> str:
    REJECTED_DIR.mkdir(parents=True, exist_ok=True)
    # The files hold personal data: keep them only as long as a clerk needs to fix them.
    expired = time.time() - REJECTED_KEEP_SECONDS
    for old in REJECTED_DIR.glob("*.xlsx"):
        if old.stat().st_mtime < expired:
            old.unlink(missing_ok=True)
    token = uuid.uuid4().hex
    with (REJECTED_DIR / f"{token}.xlsx").open("wb") as fh:
        for chunk in rejected_rows_xlsx(report):
            fh.write(chunk)
    return token


class ResidentResource(resources.ModelResource):
    """Resident import in the SIAK/BIP layout (and the system's own export layout)."""

    class Meta:
        model = Resident
        fields = ()

    def get_user_visible_fields(self):
        return [Field(column_name=c.header) for c in COLUMNS]

    def import_data(self, dataset: Table, dry_run: bool = False, **kwargs):
        # Replaces the row-by-row engine; see services.resident_import for why.
        valid_only = bool(kwargs.get("valid_only"))
        report = resident_import(
            table=dataset,
            actor=kwargs.get("user"),
            valid_only=valid_only,
            dry_run=dry_run,
            source_name=kwargs.get("file_name") or "",
        )
        return ResidentImportResult(report, valid_only=valid_only)
