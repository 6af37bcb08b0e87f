"""The streaming writer at its limits: ZIP64 sheets, chunked CSV, and a stream that breaks."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from dukcapil.exports import spreadsheet_response
from dukcapil.models import AuditAction, AuditEntry
from dukcapil.sheet_writer import Sheet, stream_csv, stream_workbook, xlsx_bytes
from registry.admin import residents as resident_admin

ROWS = 3_000
HEADERS = ["NIK", "NAMA_LGKP", "ALAMAT", "NO"]


def resident_rows(count: int):
    for i in range(count):
        yield [f"5371012701{i:06d}", "YOHANES NDOLU", "JL. EL TARI NO. 5", i]


@pytest.fixture
def zip64_limits_of_a_few_kilobytes(monkeypatch):
    """zipfile's own thresholds, shrunk: the ZIP64 records a 2 GiB sheet or a 65,535th member
    would need are written, and read back, at a few kilobytes."""
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 4096)
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 3)  # a workbook has six members


def test_a_sheet_past_the_zip64_limits_still_opens_in_openpyxl_and_calamine(
    zip64_limits_of_a_few_kilobytes,
):
    data = xlsx_bytes(HEADERS, resident_rows(ROWS))
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = book.getinfo("xl/worksheets/sheet1.xml")
        assert sheet.file_size > zipfile.ZIP64_LIMIT
        assert book.testzip() is None  # every member's CRC and size check out
    assert b"PK\x06\x06" in data  # the ZIP64 end of central directory record

    rows = list(openpyxl.load_workbook(io.BytesIO(data), read_only=True).active.values)
    assert len(rows) == ROWS + 1
    assert rows[-1] == (f"5371012701{ROWS - 1:06d}", "YOHANES NDOLU", "JL. EL TARI NO. 5", ROWS - 1)

    calamine_rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    calamine_rows = calamine_rows.to_python()
    assert len(calamine_rows) == ROWS + 1
    assert calamine_rows[-1][0] == f"5371012701{ROWS - 1:06d}"


def test_text_after_a_separator_is_neutralised_in_every_chunk():
    rows = [[f"JL. X;=cmd|' /C calc'!A{i}", -i] for i in range(20_000)]
    chunks = list(stream_csv(["ALAMAT", "SALDO"], rows))
    assert len(chunks) > 5
    read = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"), newline="")))
    assert read[1:] == [[f"JL. X;'=cmd|' /C calc'!A{i}", str(-i)] for i in range(20_000)]


def failing_after(count: int):
    yield from resident_rows(count)
    raise ConnectionError("server closed the connection unexpectedly")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_stream_that_breaks_raises_to_the_server_and_is_audited_incomplete(rf, make_user, fmt):
    request = rf.get(f"/admin/registry/resident/export/{fmt}/")
    request.user = make_user("Kepala Seksi")
    response = spreadsheet_response(
        request=request,
        report="Uji",
        fmt=fmt,
        name="uji",
        headers=HEADERS,
        rows=failing_after(ROWS),
    )
    sent = []
    with pytest.raises(ConnectionError):
        for chunk in response:  # as a WSGI server does: it aborts the transfer on the error
            sent.append(chunk)
    assert sent  # the error came mid-stream, after the headers and some rows had gone out
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.detail["complete"] is False and entry.detail["rows"] == ROWS
    if fmt == "xlsx":
        with pytest.raises(zipfile.BadZipFile):  # no central directory was ever sent
            zipfile.ZipFile(io.BytesIO(b"".join(sent)))


@pytest.mark.django_db
def test_a_resident_export_that_breaks_never_ends_cleanly(client, make_user, monkeypatch):
    client.force_login(make_user("Kepala Seksi"))
    monkeypatch.setattr(resident_admin, "export_rows", lambda queryset, **kw: failing_after(50))
    response = client.get(reverse("admin:registry_resident_export", args=["csv"]))
    assert response.status_code == 200
    with pytest.raises(ConnectionError):
        b"".join(response)
    assert AuditEntry.objects.get(action=AuditAction.EXPORT).detail["complete"] is False


def test_a_workbook_holds_a_sheet_per_topic_with_names_excel_accepts():
    long_name = "Laporan penggunaan blanko per hari dan bulan"
    sheets = [
        Sheet(long_name, ["A"], [[1]]),
        Sheet(long_name, ["B"], [[2], [3]]),
        Sheet("Tunggakan: status/umur?", ["C"], []),
    ]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(stream_workbook(sheets))))
    assert book.sheetnames == [long_name[:31], long_name[:27] + " (2)", "Tunggakan- status-umur-"]
    assert [sheet.written for sheet in sheets] == [1, 2, 0]
    assert book.worksheets[1]["A3"].value == 3
