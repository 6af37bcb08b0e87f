"""The monthly workbook: every report the user may see, a sheet each for the month, each
built only when the writer reaches it; downloaded, or written by ``manage.py report monthly``."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from dukcapil import roles
from dukcapil.accounts import SYSTEM_USERNAME
from dukcapil.models import AuditAction, AuditEntry
from registry.reports.definitions import REPORTS
from registry.reports.monthly import monthly_sheets

pytestmark = pytest.mark.django_db
FEBRUARY = dt.date(2020, 2, 1)


def _sheets(user):
    allowed = [report for report in REPORTS if report.allowed(user)]
    return monthly_sheets(month=FEBRUARY, user=user, reports=allowed)


def test_the_supervisor_gets_a_sheet_per_report_for_the_month(make_user):
    sheets = _sheets(make_user(roles.SUPERVISOR))
    assert [sheet.name for sheet in sheets] == [report.title for report in REPORTS]
    by_name = {sheet.name: (sheet.headers, list(sheet.rows)) for sheet in sheets}
    headers, rows = by_name["Laporan penggunaan blanko"]
    assert headers[0] == "Tanggal" and len(rows) == 29 + 1
    assert rows[0][0] == FEBRUARY
    _, days = by_name["Progres per hari"]
    assert days[0][0] == FEBRUARY and days[-2][0] == dt.date(2020, 2, 29)


def test_the_administrator_gets_no_broker_sheet(make_user):
    names = [s.name for s in _sheets(make_user(roles.ADMINISTRATOR))]
    assert "Indikasi calo" not in names and len(names) == len(REPORTS) - 1


def test_no_report_is_built_before_the_writer_asks_for_its_sheet(
    make_user, django_assert_num_queries
):
    user = make_user(roles.SUPERVISOR)
    with django_assert_num_queries(0):
        sheets = monthly_sheets(month=FEBRUARY, user=user, reports=REPORTS)
    assert sheets[0].headers  # the first report is built now, and only it
    assert "_table" in vars(sheets[0]) and all("_table" not in vars(s) for s in sheets[1:])


def _workbook(content: bytes):
    return load_workbook(io.BytesIO(content), read_only=True)


def test_the_supervisor_downloads_the_month_as_one_workbook(client, make_user):
    client.force_login(make_user(roles.SUPERVISOR))
    response = client.get(reverse("reports:monthly"), {"bulan": "2020-02"})
    assert response.status_code == 200
    book = _workbook(b"".join(response.streaming_content))
    assert len(book.sheetnames) == len(REPORTS)
    assert book.sheetnames[0] == REPORTS[0].title[:31]
    usage = book[next(n for n in book.sheetnames if n.startswith("Laporan penggunaan"))]
    assert next(usage.iter_rows(values_only=True))[0] == "Tanggal"
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.detail["complete"] and entry.detail["filters"] == {"bulan": ["2020-02"]}
    assert entry.detail["rows"] > 29


@pytest.mark.parametrize("role", [roles.REGISTRATION, roles.PRINTING, roles.BLANKS])
def test_a_clerk_cannot_download_the_monthly_workbook(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("reports:monthly"), {"bulan": "2020-02"}).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_bad_month_gets_a_message_not_a_file(client, make_user):
    client.force_login(make_user(roles.SUPERVISOR))
    response = client.get(reverse("reports:monthly"), {"bulan": "Februari"})
    assert response.status_code == 400
    assert "TTTT-BB" in response.content.decode()


def test_the_command_writes_the_monthly_workbook(tmp_path, capsys):
    out = tmp_path / "bulanan.xlsx"
    call_command("report", "monthly", "--month", "2020-02", "--out", out)
    assert len(load_workbook(out, read_only=True).sheetnames) == len(REPORTS)
    assert f"{len(REPORTS)} lembar" in capsys.readouterr().out
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.actor.username == SYSTEM_USERNAME and entry.detail["file"] == "bulanan.xlsx"


def test_the_monthly_command_needs_a_month(tmp_path):
    with pytest.raises(CommandError, match="--month"):
        call_command("report", "monthly", "--out", tmp_path / "x.xlsx")
