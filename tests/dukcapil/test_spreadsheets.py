import datetime as dt
import io
import tracemalloc
import zipfile

import openpyxl
import pytest

from dukcapil.spreadsheets import (
    SpreadsheetError,
    read_table,
    stream_csv,
    stream_xlsx,
    xlsx_bytes,
)


def test_it_reads_an_excel_made_file_with_shared_strings_and_date_cells():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["nik ", "TGL_LHR", "NO_RT"])
    sheet.append(["5371012701900001", dt.date(1990, 1, 27), 3])
    sheet.append([None, None, None])
    sheet.append(["5371016701900002", dt.date(1990, 1, 27), 12])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue(), "BIP.XLSX")
    assert table.headers == ["NIK", "TGL_LHR", "NO_RT"]
    assert table.row_numbers == [2, 4]  # the empty row is skipped, numbering kept
    nik, born, rt = table.rows[0]
    assert (nik, rt) == ("5371012701900001", 3)
    assert born in (dt.date(1990, 1, 27), dt.datetime(1990, 1, 27))


@pytest.mark.parametrize(
    ("data", "delimiter"),
    [
        ("NIK,NAMA\n1,JOSÉ\n".encode(), ","),
        ("NIK;NAMA\r\n1;JOSÉ\r\n".encode("utf-8-sig"), ";"),
        ("NIK;NAMA\n1;JOSÉ\n".encode("cp1252"), ";"),
    ],
)
def test_it_reads_csv_the_way_excel_writes_it(data, delimiter):
    table = read_table(data, "bip.csv")
    assert (table.headers, table.rows) == (["NIK", "NAMA"], [["1", "JOSÉ"]])


def test_formula_like_text_leaves_as_inert_text_and_comes_back_unchanged():
    values = ["=1+2", "+62812", "-", "@SUM(A1)", "\tx", "JL. EL TARI"]
    data = xlsx_bytes(["A"], [[v] for v in values])
    cells = [row[0] for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)
    assert cells[0].value == "'=1+2"
    csv_text = b"".join(stream_csv(["A"], [[v] for v in values])).decode("utf-8-sig")
    assert "'=1+2" in csv_text and "'@SUM(A1)" in csv_text
    assert [r[0] for r in read_table(data, "x.xlsx").rows] == values


def test_an_xlsx_export_opens_in_excel_readers_with_dates_and_a_bold_header():
    data = xlsx_bytes(["NIK", "TGL_LHR"], [["5371012701900001", dt.date(1990, 1, 27)]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].font.b
    assert sheet["B2"].value == dt.datetime(1990, 1, 27)
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize("stream", [stream_csv, stream_xlsx])
def test_exports_stream_lazily_in_constant_memory(stream):
    produced = 0

    def rows():
        nonlocal produced
        for i in range(200_000):
            produced += 1
            yield [f"5371012701{i:06d}", "YOHANES NDOLU", "JL. EL TARI", i]

    tracemalloc.start()
    chunks = stream(["NIK", "NAMA", "ALAMAT", "NO"], rows())
    next(chunks)
    assert produced < 200_000  # the first bytes leave before the rows are all read
    total = sum(len(chunk) for chunk in chunks)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert produced == 200_000
    assert total > 1_000_000 and peak < 4 * 1024 * 1024


def test_it_refuses_oversize_uploads(settings):
    settings.DUKCAPIL_UPLOAD_MAX_BYTES = 100
    with pytest.raises(SpreadsheetError, match="terlalu besar"):
        read_table(b"NIK\n" + b"1\n" * 100, "bip.csv")


def test_it_refuses_a_zip_bomb_by_its_compression_ratio(settings):
    settings.DUKCAPIL_XLSX_MAX_RATIO = 100
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", b"<" * (30 * 1024 * 1024))
    with pytest.raises(SpreadsheetError, match="rasio kompresi"):
        read_table(buffer.getvalue(), "bip.xlsx")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "bip.csv", "kosong"),
        (b"PK not really", "bip.xlsx", "rusak"),
        (b"%PDF", "bip.pdf", "tidak didukung"),
    ],
)
def test_it_explains_files_it_cannot_read(data, name, message):
    with pytest.raises(SpreadsheetError, match=message):
        read_table(data, name)
