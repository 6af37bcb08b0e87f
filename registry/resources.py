"""django-import-export glue for the resident import: formats and the resource.

The admin keeps django-import-export's upload → preview → confirm flow; the rows themselves
are read by dukcapil.spreadsheets and imported set-based by services.resident_import, whose
report travels to the preview page inside the Result.
"""

from django.core.exceptions import ValidationError
from import_export import resources
from import_export.fields import Field
from import_export.results import Error, InvalidRow, Result, RowResult

from dukcapil.spreadsheets import Workbook
from dukcapil.uploads import private_save
from registry.models import Resident
from registry.services.resident_import import (
    ResidentImportReport,
    rejected_rows_xlsx,
    resident_import,
)
from registry.siak import COLUMNS, HEADER_ROW

REJECTED_SUFFIX = ".xlsx"


class ResidentImportResult(Result):
    """A Result that also carries the import report and the rejected-rows file token."""

    def __init__(self, report: ResidentImportReport, *, valid_only: bool, owner):
        super().__init__()
        self.report = report
        self.valid_only = valid_only
        self.rejected_token = _save_rejected_rows(report, owner) if report.rejected else ""
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
        return list(self.report.created)

    @property
    def preview_updated(self):
        return list(self.report.updated)


def _save_rejected_rows(report: ResidentImportReport, owner) -> str:
    # Personal data: only the clerk who imported may download it, and only for an hour.
    return private_save(owner=owner, chunks=rejected_rows_xlsx(report), suffix=REJECTED_SUFFIX)


class ResidentResource(resources.ModelResource):
    """Resident import in the SIAK/BIP layout (and the system's own export layout)."""

    class Meta:
        model = Resident
        fields = ()

    def get_user_visible_fields(self):
        return [Field(column_name=c.header) for c in COLUMNS]

    def import_data(self, dataset: Workbook, dry_run: bool = False, **kwargs):
        # Replaces the row-by-row engine; see services.resident_import for why.
        valid_only = bool(kwargs.get("valid_only"))
        try:
            table = dataset.stream(HEADER_ROW)  # read row by row while importing
        except ValidationError as exc:  # the sheet cannot be read at all
            report = ResidentImportReport(headers=[], file_problems=exc.messages)
            return ResidentImportResult(report, valid_only=valid_only, owner=kwargs.get("user"))
        report = resident_import(
            table=table,
            actor=kwargs.get("user"),
            valid_only=valid_only,
            dry_run=dry_run,
            source_name=kwargs.get("file_name") or "",
        )
        return ResidentImportResult(report, valid_only=valid_only, owner=kwargs.get("user"))
