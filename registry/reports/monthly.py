"""Laporan bulanan: every report of /admin/laporan/ for one month, a sheet each, in one XLSX
workbook — the file a supervisor forwards upward.

The sheets are known at once, but each report is built only when the writer reaches its
sheet, so the workbook streams in constant memory like any download.
"""

import datetime as dt
from collections.abc import Sequence
from functools import cached_property

from django.http import QueryDict

from dukcapil.days import MONTH_FORMAT, month_end
from registry.reports.definitions import Report


def month_filters(month: dt.date) -> dict[str, str]:
    """The filters that give each report its month: the period, or the month itself."""
    first = month.replace(day=1)
    return {
        "dari": first.isoformat(),
        "sampai": month_end(first).isoformat(),
        "bulan": first.strftime(MONTH_FORMAT),
    }


class ReportSheet:
    """A report's sheet for ``dukcapil.sheet_writer.stream_workbook``, built when the writer
    first asks for its headers."""

    print_landscape = False

    def __init__(self, report: Report, found, user):
        self.name, self.written = report.title, 0
        self._build = lambda: report.build(found, user)

    @cached_property
    def _table(self):
        return self._build()

    @property
    def headers(self) -> list[str]:
        return list(self._table.headers)

    @property
    def rows(self):
        return self._table.all_rows()


def monthly_sheets(*, month: dt.date, user, reports: Sequence[Report]) -> list[ReportSheet]:
    """A sheet per report, in the given order, each for the month and built as ``user``.

    Reports without a period (ownership, backlog, cards ready) show the state when the
    workbook is made.
    """
    values = month_filters(month)
    sheets = []
    for report in reports:
        query = QueryDict(mutable=True)
        query.update({k: v for k, v in values.items() if k in report.filterset.base_filters})
        found = report.filters(query)
        if not found.is_valid():  # a month always makes valid filters
            raise ValueError(f"{report.slug}: {found.errors.as_json()}")
        sheets.append(ReportSheet(report, found, user))
    return sheets
