"""The monthly workbook's sheets: every report the user may see, each for the month, built
only when the writer reaches it."""

import datetime as dt

import pytest

from dukcapil import roles
from registry.reports.definitions import REPORTS
from registry.reports.monthly import monthly_sheets

pytestmark = pytest.mark.django_db
FEBRUARY = dt.date(2020, 2, 1)


def test_the_supervisor_gets_a_sheet_per_report_for_the_month(make_user):
    sheets = list(monthly_sheets(month=FEBRUARY, user=make_user(roles.SUPERVISOR)))
    assert [name for name, _, _ in sheets] == [report.title[:31] for report in REPORTS]
    by_name = {name: (headers, list(rows)) for name, headers, rows in sheets}
    headers, rows = by_name["Laporan penggunaan blanko"]
    assert headers[0] == "Tanggal" and len(rows) == 29 + 1
    assert rows[0][0] == FEBRUARY
    _, days = by_name["Progres per hari"]
    assert days[0][0] == FEBRUARY and days[-2][0] == dt.date(2020, 2, 29)


def test_the_administrator_gets_no_broker_sheet(make_user):
    names = [
        name for name, _, _ in monthly_sheets(month=FEBRUARY, user=make_user(roles.ADMINISTRATOR))
    ]
    assert "Indikasi calo" not in names and len(names) == len(REPORTS) - 1


def test_no_report_is_built_before_the_writer_asks_for_its_sheet(
    make_user, django_assert_num_queries
):
    user = make_user(roles.SUPERVISOR)
    with django_assert_num_queries(0):
        sheets = monthly_sheets(month=FEBRUARY, user=user)
    next(sheets)
