import csv
import datetime as dt
import io
import tracemalloc
import zipfile

import openpyxl
import pytest

from dukcapil.sheet_writer import stream_csv, stream_xlsx, xlsx_bytes
from dukcapil.spreadsheets import SpreadsheetError, check_upload_size, read_table

FORMULA_LIKE = ["=1+2", "+62812", "-", "@SUM(A1)", "\tx", "\r=A1"]


def open_sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_it_reads_back_its_own_xlsx_export():
    headers = ["NIK", "NAMA_LGKP", "NO_RT", "TGL_LHR", "KET", "AKTIF"]
    rows = [
        ["5371012701900001", "YOHANES NDOLU", 3, dt.date(1990, 1, 27), None, True],
        ["5371016701900002", "MARIA DA COSTA", 12, dt.date(1985, 6, 7), "PINDAH", False],
    ]
    table = read_table(xlsx_bytes(headers, rows), "penduduk.xlsx")
    assert table.headers == headers
    assert table.rows == [
        ["5371012701900001", "YOHANES NDOLU", 3, dt.date(1990, 1, 27), "", True],
        ["5371016701900002", "MARIA DA COSTA", 12, dt.date(1985, 6, 7), "PINDAH", False],
    ]
    assert table.row_numbers == [2, 3]


def test_it_writes_xlsx_that_excel_readers_open_with_a_bold_frozen_filtered_header():
    headers = ["NIK", "TGL_LHR", "DICETAK", "NO_RT", "NAMA_LENGKAP_SESUAI_AKTA_KELAHIRAN_ASLI_X"]
    printed = dt.datetime(2024, 1, 1, 0, 30, tzinfo=dt.UTC)
    rows = [[5371012701900001, dt.date(1990, 1, 27), printed, 7, "YOHANES"]]
    sheet = open_sheet(xlsx_bytes(headers, rows, sheet_name="Baris/ditolak"))
    assert sheet.title == "Baris-ditolak"
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", "A1:E2")
    # A 16-digit NIK stays text: as a number Excel would round its last digit away.
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("5371012701900001", "s")
    assert sheet["B2"].is_date and sheet["B2"].value == dt.datetime(1990, 1, 27)
    assert sheet["C2"].value == dt.datetime(2024, 1, 1, 8, 30)  # Kupang time (WITA)
    assert (sheet["D2"].value, sheet["D2"].data_type) == (7, "n")
    assert sheet.column_dimensions["A"].width == 10
    assert sheet.column_dimensions["E"].width == 40


def test_it_writes_formula_like_text_as_inert_text_that_comes_back_unchanged():
    rows = [[value] for value in FORMULA_LIKE]
    xlsx = xlsx_bytes(["ALAMAT"], rows)
    cells = [row[0] for row in open_sheet(xlsx).iter_rows(min_row=2)]
    assert [(c.data_type, c.value) for c in cells] == [("s", "'" + v) for v in FORMULA_LIKE]
    exported_csv = b"".join(stream_csv(["ALAMAT"], rows))
    assert csv_rows(exported_csv)[1:] == [["'" + v] for v in FORMULA_LIKE]
    for data, name in [(xlsx, "ekspor.xlsx"), (exported_csv, "ekspor.csv")]:
        assert read_table(data, name).rows == rows


def test_it_keeps_text_that_only_looks_like_our_apostrophe():
    table = read_table(b"NAMA\n'ANA\n'\nO'NEIL\n", "bip.csv")
    assert table.rows == [["'ANA"], ["'"], ["O'NEIL"]]


def test_it_writes_csv_dates_the_indonesian_way_and_none_as_empty():
    printed = dt.datetime(2024, 1, 1, 0, 30, tzinfo=dt.UTC)
    data = b"".join(
        stream_csv(["TGL_LHR", "DICETAK", "KET"], [[dt.date(1990, 1, 27), printed, None]])
    )
    assert data.startswith(b"\xef\xbb\xbf")
    assert csv_rows(data) == [["TGL_LHR", "DICETAK", "KET"], ["27-01-1990", "01-01-2024 08:30", ""]]


def test_it_reads_an_openpyxl_file_with_date_and_number_cells_below_a_title_gap():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A3"], sheet["B3"], sheet["C3"] = " nik ", "TGL_LHR", "no_rt"
    sheet.append(["5371012701900001", dt.date(1990, 1, 27), 3])
    sheet.append([None, None, None])
    sheet.append(["  5371016701900002 ", dt.datetime(1990, 1, 27, 0, 0), 12.0])
    buffer = io.BytesIO()
    book.save(buffer)

    table = read_table(buffer.getvalue(), "BIP.XLSX")
    assert table.headers == ["NIK", "TGL_LHR", "NO_RT"]
    assert table.row_numbers == [4, 6]
    (nik, born, rt), (nik2, _, rt2) = table.rows
    assert (nik, rt, nik2, rt2) == ("5371012701900001", 3, "5371016701900002", 12)
    assert isinstance(rt2, int)
    assert isinstance(born, dt.date) and born.timetuple()[:3] == (1990, 1, 27)


def excel_made_xlsx() -> bytes:
    """What Excel itself writes: text in sharedStrings.xml, a date as a styled serial number."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{package}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{office}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{office}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{office}.sharedStrings+xml"/>'
        "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="BIP" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/styles.xml": f'<styleSheet xmlns="{main}"><cellXfs count="2"><xf numFmtId="0"/>'
        '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{main}" count="4" uniqueCount="4">'
        "<si><t>NIK</t></si><si><t>TGL_LHR</t></si><si><t>NO_RT</t></si>"
        "<si><t>5371012701900001</t></si></sst>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" s="1"><v>32900</v></c>'
        '<c r="C2"><v>3</v></c></row></sheetData></worksheet>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for name, content in parts.items():
            book.writestr(name, content)
    return buffer.getvalue()


def test_it_reads_an_excel_made_file_with_shared_strings_and_a_date_cell():
    table = read_table(excel_made_xlsx(), "BIP.xlsx")
    assert table.headers == ["NIK", "TGL_LHR", "NO_RT"]
    [(nik, born, rt)] = table.rows
    assert (nik, rt) == ("5371012701900001", 3)
    assert isinstance(born, dt.date) and born.timetuple()[:3] == (1990, 1, 27)


@pytest.mark.parametrize(
    "data",
    [
        "NIK,NAMA\r\n1,JOSÉ\r\n".encode(),
        "NIK;NAMA\r\n1;JOSÉ\r\n".encode("utf-8-sig"),
        "NIK;NAMA\r\n1;JOSÉ\r\n".encode("cp1252"),
        "NIK\tNAMA\n1\tJOSÉ\n".encode("cp1252"),
    ],
    ids=["utf-8 comma", "utf-8 BOM semicolon", "cp1252 semicolon", "cp1252 tab"],
)
def test_it_reads_csv_the_way_excel_writes_it(data):
    table = read_table(data, "bip.csv")
    assert (table.headers, table.rows) == (["NIK", "NAMA"], [["1", "JOSÉ"]])


def test_it_skips_empty_csv_rows_and_keeps_their_numbers():
    data = "\n\ufeff nik ;nama;\n1;PEÑA;x\n;;\n\n2\n3;ANA;y;extra\n".encode()
    table = read_table(data, "bip.csv")
    assert table.headers == ["NIK", "NAMA"]  # trailing empty header cells are not columns
    assert table.rows == [["1", "PEÑA"], ["2", ""], ["3", "ANA"]]
    assert table.row_numbers == [3, 6, 7]


def test_it_refuses_oversize_uploads_and_names_the_limit(settings):
    settings.DUKCAPIL_UPLOAD_MAX_BYTES = 1024 * 1024
    check_upload_size(1024 * 1024)  # exactly at the limit is fine
    with pytest.raises(SpreadsheetError, match="batasnya 1 MB"):
        read_table(b"NIK\n" + b"1\n" * 600_000, "bip.csv")


def zip_of_zeros(megabytes: int) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
        bomb.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        for _ in range(megabytes):
            member.write(bytes(1024 * 1024))
    return buffer.getvalue()


def test_it_refuses_a_zip_bomb_by_its_compression_ratio(settings):
    settings.DUKCAPIL_XLSX_MAX_RATIO = 100
    with pytest.raises(SpreadsheetError, match="rasio kompresi"):
        read_table(zip_of_zeros(50), "bip.xlsx")


def test_it_refuses_xlsx_that_unpacks_too_large(settings):
    settings.DUKCAPIL_XLSX_MAX_UNCOMPRESSED_BYTES = 1024
    with pytest.raises(SpreadsheetError, match="terlalu besar setelah dibuka"):
        read_table(xlsx_bytes(["NIK"], [["5371012701900001"]] * 100), "bip.xlsx")


def test_it_does_not_judge_small_parts_by_their_ratio(settings):
    settings.DUKCAPIL_XLSX_MAX_RATIO = 2
    assert read_table(xlsx_bytes(["NIK"], [["5371012701900001"]] * 100), "bip.xlsx").rows


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "bip.csv", "kosong"),
        (b"\r\n;;\r\n\r\n", "bip.csv", "kosong"),
        (xlsx_bytes([], []), "bip.xlsx", "kosong"),
        (b"PK not really", "bip.xlsx", "rusak"),
        (zip_of_zeros(1), "bip.xlsx", "rusak"),
        (b'NIK\n"' + b"x" * 200_000, "bip.csv", "rusak sekitar baris 2"),
        (b"%PDF", "bip.pdf", "tidak didukung"),
        (b"NIK\n1\n", "bip.xls", "tidak didukung"),
    ],
)
def test_it_explains_files_it_cannot_read(data, name, message):
    with pytest.raises(SpreadsheetError, match=message):
        read_table(data, name)


def test_a_header_without_rows_is_an_empty_table():
    table = read_table(b"NIK;NAMA\n", "bip.csv")
    assert (table.headers, table.rows, table.row_numbers) == (["NIK", "NAMA"], [], [])


def numbered_rows(count: int, produced: list[int]):
    for i in range(count):
        produced[0] += 1
        yield [f"5371012701{i:06d}", "YOHANES NDOLU", "JL. EL TARI NO. 5", i]


@pytest.mark.parametrize("stream", [stream_csv, stream_xlsx])
def test_exports_send_bytes_before_reading_all_rows(stream):
    produced = [0]
    chunks = stream(["NIK", "NAMA", "ALAMAT", "NO"], numbered_rows(200_000, produced))
    sent = 0
    while sent < 256 * 1024:  # well past the fixed XLSX parts: rows are being streamed
        sent += len(next(chunks))
    assert produced[0] < 100_000
    chunks.close()


@pytest.mark.parametrize("stream", [stream_csv, stream_xlsx])
def test_exports_stay_in_constant_memory(stream):
    produced = [0]
    tracemalloc.start()
    try:
        sizes = [len(c) for c in stream(["NIK", "NAMA"], numbered_rows(40_000, produced))]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert produced[0] == 40_000 and len(sizes) > 3
    assert peak < 1024 * 1024  # holding the 40,000 rows alone would take over 10 MB


def test_a_print_sheet_is_set_up_for_a4_landscape_on_one_page_width():
    data = b"".join(stream_xlsx(["NIP", "01"], [["1", "P"]], print_landscape=True))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
