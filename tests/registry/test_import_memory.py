"""The resident import holds a chunk of the file at a time, whatever the file's size."""

import csv
import datetime as dt
import io
import tracemalloc

import openpyxl
import pytest

from dukcapil import spreadsheets
from dukcapil.spreadsheets import Workbook
from registry import nik, siak
from registry.models import Resident
from registry.services import resident_import as importing
from registry.siak import HEADER_ROW
from tests.registry.factories import SIAK_HEADERS, nik_for, siak_row

pytestmark = pytest.mark.django_db


def _csv(serials: range) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, SIAK_HEADERS)
    writer.writeheader()
    writer.writerows(siak_row(NIK=nik_for(serial)) for serial in serials)
    return buffer.getvalue().encode()


def _peak_bytes(data: bytes) -> int:
    tracemalloc.start()
    try:
        report = importing.resident_import(
            table=Workbook(data, "bip.csv").stream(HEADER_ROW), actor=None
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.applied
    return peak


def test_the_import_memory_does_not_grow_with_the_file(monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_ROWS", 100)
    # parse_nik remembers the last 4,096 NIKs it read: bounded, but not what is measured here.
    uncached = nik.parse_nik.__wrapped__
    for module in (nik, siak, importing):
        monkeypatch.setattr(module, "parse_nik", uncached)
    small, large = _csv(range(1, 401)), _csv(range(401, 4401))  # 400 rows, then 4,000
    _peak_bytes(_csv(range(4401, 4411)))  # the first import also loads lookups and the actor
    small_peak = _peak_bytes(small)
    large_peak = _peak_bytes(large)
    assert Resident.objects.count() == 4410
    # Holding 4,000 rows would take megabytes. What may grow is the memo of parsed cells,
    # which stops at a fixed size per column.
    assert large_peak - small_peak < 1_000_000


def test_a_sheet_too_big_for_calamine_is_streamed_and_reads_the_same(monkeypatch):
    book = openpyxl.Workbook()  # the normal writer: shared strings and styles
    sheet = book.active
    sheet.append(["JUDUL"])
    sheet.append([])
    sheet.append(SIAK_HEADERS)
    sheet.append([nik_for(1), "X", "MARIA", "KUPANG", dt.date(1990, 1, 27), "P", 1001, 2.5])
    sheet.append([nik_for(2), "=1/0", "'=SUM(A1)", None, dt.datetime(1990, 1, 27, 12, 0), True])
    sheet["C5"].value = "=1/0"  # formula cells keep no cached value in openpyxl files
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    loaded = Workbook(data, "bip.xlsx").table(HEADER_ROW)
    monkeypatch.setattr(spreadsheets, "_CALAMINE_MAX_SHEET_BYTES", 0)
    streamed = Workbook(data, "bip.xlsx").table(HEADER_ROW)
    assert streamed == loaded
    assert streamed.rows[0][4] == dt.date(1990, 1, 27)
