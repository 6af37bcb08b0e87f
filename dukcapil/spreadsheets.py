"""Safe spreadsheet reading and formula-safe streaming export: the one place for both.

Reading refuses what could hurt the server (oversize uploads, zip bombs; XML bombs are
defused by the parsers) and returns plain rows. Writing streams XLSX or CSV in constant memory
and neutralises text a spreadsheet program would run as a formula.
"""

import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from python_calamine import CalamineError, CalamineWorkbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CHUNK_BYTES = 64 * 1024
# Small parts (styles, relationships) compress far better than any sensible bomb ratio.
_JUDGED_MEMBER_BYTES = 1024 * 1024
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_NAME_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# 1 March 1900: Excel believes 1900 was a leap year, so earlier serials are a day off.
_EXCEL_FIRST_SERIAL = 61
# Excel keeps 15 significant digits: a 16-digit NIK written as a number loses its last digit.
_EXCEL_INT_LIMIT = 10**15
_XLSX_BROKEN = "Berkas XLSX rusak atau bukan berkas XLSX."
_BOLD, _DATE, _DATETIME = 1, 2, 3  # indexes into cellXfs in styles.xml


class SpreadsheetError(ValidationError):
    """The file cannot be read; the message tells the clerk why, in Indonesian."""


@dataclass
class Table:
    """The first sheet: upper-cased headers, then the non-empty rows padded to their width.

    ``row_numbers[i]`` is the row of ``rows[i]`` as the clerk sees it in Excel, so error
    messages point at the right line even though empty rows were skipped.
    """

    headers: list[str]
    rows: list[list]
    row_numbers: list[int]


def check_upload_size(size: int) -> None:
    limit = settings.DUKCAPIL_UPLOAD_MAX_BYTES
    if size > limit:
        raise SpreadsheetError(
            f"Berkas terlalu besar ({_megabytes(size)} MB); batasnya {_megabytes(limit)} MB. "
            "Bagi berkas menjadi beberapa bagian."
        )


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f}".replace(".", ",").removesuffix(",0")


def read_table(data: bytes, filename: str) -> Table:
    """The first sheet of an XLSX file, or a CSV file, as a Table."""
    check_upload_size(len(data))
    extension = PurePath(filename).suffix.lower()
    if extension == ".xlsx":
        raw_rows = _xlsx_rows(data)
    elif extension == ".csv":
        raw_rows = _csv_rows(data)
    else:
        raise SpreadsheetError("Format berkas tidak didukung; gunakan .xlsx atau .csv.")
    return _table(raw_rows)


def _table(raw_rows: Iterable[Sequence]) -> Table:
    headers: list[str] | None = None
    rows, numbers = [], []
    for number, raw in enumerate(raw_rows, start=1):
        # Plain text without an apostrophe is most cells: strip it inline, _clean the rest.
        cells = [c.strip() if type(c) is str and c[:1] != "'" else _clean(c) for c in raw]
        if not any(cell != "" for cell in cells):
            continue
        if headers is None:
            headers = [str(cell).lstrip("\ufeff").strip().upper() for cell in cells]
            continue
        cells = cells[: len(headers)]
        cells.extend([""] * (len(headers) - len(cells)))
        rows.append(cells)
        numbers.append(number)
    if headers is None:
        raise SpreadsheetError("Berkas kosong: tidak ada baris judul kolom.")
    return Table(headers=headers, rows=rows, row_numbers=numbers)


def _clean(cell):
    if type(cell) is str:  # by far the most common cell, so tested first
        text = cell.strip()
        # Our own exports put an apostrophe before formula-like text; take it off again.
        if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
            return text[1:]
        return text
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell


def _xlsx_rows(data: bytes) -> list[list]:
    _refuse_zip_bomb(data)
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            # Without skip_empty_area=False calamine drops leading empty rows and row numbers drift.
            return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except CalamineError:
        raise SpreadsheetError(_XLSX_BROKEN) from None


def _refuse_zip_bomb(data: bytes) -> None:
    """Judge the archive by its directory alone, before anything is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise SpreadsheetError(_XLSX_BROKEN) from None
    total = sum(member.file_size for member in members)
    if total > settings.DUKCAPIL_XLSX_MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(
            f"Isi berkas XLSX terlalu besar setelah dibuka ({_megabytes(total)} MB); ditolak."
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _JUDGED_MEMBER_BYTES and ratio > settings.DUKCAPIL_XLSX_MAX_RATIO:
            raise SpreadsheetError(
                f"Berkas XLSX mencurigakan (rasio kompresi {ratio:.0f}:1); ditolak."
            )


def _csv_rows(data: bytes) -> list[list[str]]:
    if data.startswith(b"\xef\xbb\xbf"):
        text = data.decode("utf-8-sig")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # What Excel on Indonesian Windows writes; five bytes are undefined in it.
            text = data.decode("cp1252", errors="replace")
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    # Excel with the Indonesian locale separates with ';' because ',' is the decimal mark.
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error:
        raise SpreadsheetError(
            f"Berkas CSV rusak sekitar baris {reader.line_num}: "
            "ada sel yang terlalu panjang atau tanda kutip yang tidak ditutup."
        ) from None


def neutralise(value):
    """Keep a spreadsheet program from running text as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _local(value: dt.datetime) -> dt.datetime:
    """Naive wall-clock time in Kupang: the database hands out aware UTC datetimes."""
    return timezone.make_naive(value) if timezone.is_aware(value) else value


def _date_text(value: dt.date) -> str:
    if isinstance(value, dt.datetime):
        return _local(value).strftime("%d-%m-%Y %H:%M")
    return value.strftime("%d-%m-%Y")


def stream_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """Comma-separated UTF-8 with a BOM (Excel reads the encoding from it), in ~64 KB chunks."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([_csv_cell(header) for header in headers])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
        if buffer.tell() >= _CHUNK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _csv_cell(value):
    if type(value) is str:  # most cells, so tested first
        return neutralise(value)
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):  # bool included
        return value
    if isinstance(value, dt.date):
        return _date_text(value)
    return neutralise(str(value))


class _Sink(list):
    """Unseekable output, so zipfile streams with data descriptors; bytes are taken as they come."""

    def write(self, data) -> int:
        self.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self)
        self.clear()
        return data


def stream_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    sheet_name: str = "Data",
    print_landscape: bool = False,
) -> Iterator[bytes]:
    """A minimal, valid XLSX written as a stream: text as inline strings, never formulas.

    ``print_landscape`` prints on A4 landscape, all columns on one page width (a roster grid).
    """
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as book:
        for name, content in _XLSX_FIXED_PARTS.items():
            book.writestr(name, content)
        yield sink.take()
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            batch = [_sheet_head(headers, print_landscape), _xml_row(1, headers, style=_BOLD)]
            size, number = 0, 1
            for number, row in enumerate(rows, start=2):
                batch.append(_xml_row(number, row))
                size += len(batch[-1])
                if size >= _CHUNK_BYTES:
                    sheet.write("".join(batch).encode())
                    batch, size = [], 0
                    if chunk := sink.take():  # the compressor may still be holding everything
                        yield chunk
            last_column = _column_letter(max(len(headers), 1))
            batch.append(f'</sheetData><autoFilter ref="A1:{last_column}{number}"/>')
            batch.append(_A4_LANDSCAPE if print_landscape else "")
            batch.append("</worksheet>")
            sheet.write("".join(batch).encode())
        filter_range = f"$A$1:${last_column}${number}"
        book.writestr("xl/workbook.xml", _workbook_xml(sheet_name, filter_range))
    yield sink.take()


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, sheet_name="Data") -> bytes:
    """The whole XLSX at once, for small files such as a rejected-rows report."""
    return b"".join(stream_xlsx(headers, rows, sheet_name=sheet_name))


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


_A4_LANDSCAPE = (
    '<pageMargins left="0.3" right="0.3" top="0.4" bottom="0.4" header="0.2" footer="0.2"/>'
    '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
)


def _sheet_head(headers: Sequence[str], print_landscape: bool = False) -> str:
    narrowest = 4 if print_landscape else 10
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{min(max(len(str(h)) + 2, narrowest), 40)}" '
        'customWidth="1"/>'
        for i, h in enumerate(headers, start=1)
    )
    fit = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if print_landscape else ""
    return (
        f'{_XML_DECLARATION}<worksheet xmlns="{_MAIN}">{fit}'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView>'
        f"</sheetViews>{f'<cols>{widths}</cols>' if widths else ''}<sheetData>"
    )


def _xml_row(number: int, values: Sequence, style: int = 0) -> str:
    return f'<row r="{number}">{"".join(_xml_cell(value, style) for value in values)}</row>'


def _xml_cell(value, style: int) -> str:
    # Cells carry no reference, so empty ones stay as <c/> to keep later cells in their columns.
    if value is None or value == "":
        return "<c/>"
    if type(value) is not str:
        if isinstance(value, bool):
            return f'<c t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int) and abs(value) < _EXCEL_INT_LIMIT:
            return f"<c><v>{value}</v></c>"
        if isinstance(value, float | Decimal) and math.isfinite(value):
            return f"<c><v>{value}</v></c>"
        if isinstance(value, dt.date):
            is_datetime = isinstance(value, dt.datetime)
            serial = _excel_serial(_local(value) if is_datetime else value)
            if serial >= _EXCEL_FIRST_SERIAL:
                return f'<c s="{_DATETIME if is_datetime else _DATE}"><v>{serial}</v></c>'
            value = _date_text(value)
        value = str(value)
    # A bare \r would come back as \n: XML parsers normalise line ends, not character references.
    text = escape(neutralise(_XML_ILLEGAL.sub("", value)), {"\r": "&#13;"})
    style_attribute = f' s="{style}"' if style else ""
    return f'<c t="inlineStr"{style_attribute}><is><t xml:space="preserve">{text}</t></is></c>'


def _excel_serial(value: dt.date) -> int | float:
    if isinstance(value, dt.datetime):
        return (value - _EXCEL_EPOCH).total_seconds() / 86400
    return (value - _EXCEL_EPOCH.date()).days


def _workbook_xml(sheet_name: str, filter_range: str) -> str:
    sheet_name = _SHEET_NAME_ILLEGAL.sub("-", sheet_name)[:31].strip("'") or "Data"
    quoted = "'" + sheet_name.replace("'", "''") + "'"
    # Excel keeps the autofilter range in this hidden name as well as in the sheet.
    return (
        f'{_XML_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<sheets><sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets>'
        '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"{escape(quoted)}!{filter_range}</definedName></definedNames></workbook>"
    )


_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XLSX_FIXED_PARTS = {
    "[Content_Types].xml": f'{_XML_DECLARATION}<Types xmlns="{_PACKAGE}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/></Types>',
    "_rels/.rels": f'{_XML_DECLARATION}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>",
    "xl/_rels/workbook.xml.rels": f'{_XML_DECLARATION}<Relationships xmlns="{_PACKAGE}/'
    f'relationships"><Relationship Id="rId1" Type="{_REL}/worksheet" '
    f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{_REL}/styles" '
    'Target="styles.xml"/></Relationships>',
    # The cellXfs are, in order: normal, _BOLD, _DATE, _DATETIME.
    "xl/styles.xml": f'{_XML_DECLARATION}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd-mm-yyyy"/>'
    '<numFmt numFmtId="165" formatCode="dd-mm-yyyy hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>",
}
