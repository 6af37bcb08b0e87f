"""Laporan bulanan: every report of /admin/laporan/ for one month, a sheet each, for one XLSX
workbook.

The sheets come one at a time, and each report is built only when the writer reaches its
sheet, so the workbook streams in constant memory like any download. The writer is
``dukcapil.sheet_writer.stream_xlsx_book(sheets)`` (proposed; see the report of this work):
it takes an iterable of ``(name, headers, rows)`` and writes one worksheet per item in turn.
"""

import datetime as dt
from collections.abc import Iterator, Sequence

from django.http import QueryDict

from registry.reports.definitions import REPORTS
from registry.reports.filters import MONTH_FORMAT, month_end

SHEET_NAME_LENGTH = 31  # Excel's limit


def month_filters(month: dt.date) -> dict[str, str]:
    """The filters that give each report its month: the period, or the month itself."""
    first = month.replace(day=1)
    return {
        "dari": first.isoformat(),
        "sampai": month_end(first).isoformat(),
        "bulan": first.strftime(MONTH_FORMAT),
    }


def monthly_sheets(*, month: dt.date, user) -> Iterator[tuple[str, Sequence[str], object]]:
    """(sheet name, headers, rows) per report ``user`` may see, in the order of the index.

    Reports without a period (ownership, backlog, cards ready) show the state when the
    workbook is made.
    """
    values = month_filters(month)
    for report in REPORTS:
        if not report.allowed(user):
            continue
        query = QueryDict(mutable=True)
        query.update({k: v for k, v in values.items() if k in report.filterset.base_filters})
        found = report.filters(query)
        if not found.is_valid():  # a month always makes valid filters
            raise ValueError(f"{report.slug}: {found.errors.as_json()}")
        table = report.build(found, user)
        yield report.title[:SHEET_NAME_LENGTH], list(table.headers), table.all_rows()
