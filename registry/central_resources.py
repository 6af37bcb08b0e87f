"""django-import-export glue for the central system's result sheets (NIK, STATUS).

The admin keeps the library's upload → preview → confirm flow; the sheet itself is checked
and applied, all or nothing, by services.central_results, whose report travels to the preview
page and to the confirm step inside the Result.
"""

from django.core.exceptions import ValidationError
from import_export import resources
from import_export.fields import Field
from import_export.results import Error, InvalidRow, Result, RowResult

from dukcapil.spreadsheets import HeaderRow, Table, Workbook
from registry.models import ApplicationStatus, CardApplication
from registry.services.central_results import (
    NIK_HEADER,
    STATUS_HEADER,
    CentralResultsReport,
    central_results_import,
)

COLUMNS = (NIK_HEADER, STATUS_HEADER)


class CentralResultsImportResult(Result):
    """A Result that carries the service's report; each bad row becomes an invalid row."""

    def __init__(self, report: CentralResultsReport, table: Table | None = None, *, refusal=()):
        super().__init__()
        self.report = report
        self.diff_headers = list(COLUMNS)
        for message in refusal:
            self.append_base_error(Error(message))
        if not (refusal or report.problems or report.outcome or report.unchanged):
            self.append_base_error(Error("Berkas tidak berisi baris data di bawah judul kolom."))
        if report.problems:
            self._add_invalid_rows(report, table)
        moved = sum(report.outcome.values())
        self.totals[RowResult.IMPORT_TYPE_UPDATE] = 0 if report.problems else moved
        self.totals[RowResult.IMPORT_TYPE_SKIP] = report.unchanged
        self.totals[RowResult.IMPORT_TYPE_INVALID] = len(self.invalid_rows)

    def _add_invalid_rows(self, report: CentralResultsReport, table: Table) -> None:
        cells = dict(zip(table.row_numbers, table.rows, strict=True))
        headers = [h.strip().upper() for h in table.headers]  # as the service reads them
        at = [headers.index(column) for column in COLUMNS]
        by_row: dict[int, dict[str, list[str]]] = {}
        for problem in report.problems:
            by_row.setdefault(problem.number, {}).setdefault(problem.column, [])
            by_row[problem.number][problem.column].append(problem.message)
        for number, errors in by_row.items():
            values = tuple(cells[number][i] for i in at)
            self.invalid_rows.append(InvalidRow(number, ValidationError(errors), values))

    @property
    def outcome_rows(self) -> list[tuple[str, int]]:
        """(status label, applications) in the order of the status table.

        A Counter in a template answers 0 to ``.items``, so the page gets a plain list.
        """
        outcome = self.report.outcome
        return [(s.label, outcome[s.label]) for s in ApplicationStatus if outcome[s.label]]


class CentralResultsResource(resources.ModelResource):
    """A result sheet from the central system: one row per NIK with its STATUS."""

    class Meta:
        model = CardApplication
        fields = ()
        name = "Hasil dari pusat"

    def get_user_visible_fields(self):
        return [Field(column_name=column) for column in COLUMNS]

    def import_data(self, dataset: Workbook, dry_run: bool = False, **kwargs):
        # Replaces the row-by-row engine: the service checks the whole sheet before any change.
        try:
            table = dataset.table(HeaderRow((NIK_HEADER,)))
            table.refuse_bad_cells()
            report = central_results_import(table=table, actor=kwargs["user"], dry_run=dry_run)
        except ValidationError as exc:  # the sheet cannot be read at all
            return CentralResultsImportResult(CentralResultsReport(), refusal=exc.messages)
        return CentralResultsImportResult(report, table)
