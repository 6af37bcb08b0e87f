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
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

from dukcapil.formats import grouped
from dukcapil.xlsx_scan import (
    Extent,
    Oversize,
    SheetPart,
    Unreadable,
    sheet_extent,
    workbook_sheets,
)

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
# The header row may sit below a title and a blank line or two; it is looked for this far.
HEADER_SEARCH_ROWS = 20
_BOLD, _DATE, _DATETIME = 1, 2, 3  # indexes into cellXfs in styles.xml


class SpreadsheetError(ValidationError):
    """The file cannot be read; the message tells the clerk why, in Indonesian."""


@dataclass(frozen=True)
class HeaderRow:
    """What an importer's header row holds: each entry is a name or a tuple of synonyms."""

    required: tuple[str | tuple[str, ...], ...]

    def matches(self, cells: Sequence) -> bool:
        present = set(cells)
        return all(present.intersection(_names(entry)) for entry in self.required)

    def __str__(self) -> str:
        return " dan ".join(" atau ".join(_names(entry)) for entry in self.required)


def _names(entry: str | tuple[str, ...]) -> tuple[str, ...]:
    return (entry,) if isinstance(entry, str) else entry


class ExcelError(str):
    """An error cell (#N/A, #REF!…) as Excel shows it; never a value to import."""


@dataclass
class Table:
    """One sheet from its header row on: upper-cased headers, then the non-empty rows cut or
    padded to the header's width.

    ``row_numbers[i]`` is the row of ``rows[i]`` as the clerk sees it in Excel, so error
    messages point at the right line even though empty rows were skipped.
    ``cell_problems`` maps a row number to (header, reason) for cells that hold no value
    to import: Excel error cells and text with a NUL character.
    """

    headers: list[str]
    rows: list[list]
    row_numbers: list[int]
    sheet: str = ""
    cell_problems: dict[int, list[tuple[str, str]]] = field(default_factory=dict)

    def refuse_bad_cells(self) -> None:
        """For imports that take a file all or nothing: refuse it naming every bad cell."""
        if self.cell_problems:
            raise SpreadsheetError(
                [
                    f"Baris {number}, kolom {header}: {reason}"
                    for number, problems in self.cell_problems.items()
                    for header, reason in problems
                ]
            )


def check_upload_size(size: int) -> None:
    limit = settings.DUKCAPIL_UPLOAD_MAX_BYTES
    if size > limit:
        raise SpreadsheetError(
            f"Berkas terlalu besar ({_megabytes(size)} MB); batasnya {_megabytes(limit)} MB. "
            "Bagi berkas menjadi beberapa bagian."
        )


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f}".replace(".", ",").removesuffix(",0")


class Workbook:
    """An upload that passed the size checks; its tables are read on demand.

    Every sheet is measured before it is loaded, and rows are taken one at a time, so a
    hostile file is refused in bounded time and memory.
    """

    def __init__(self, data: bytes, filename: str):
        check_upload_size(len(data))
        self.extension = PurePath(filename).suffix.lower()
        if self.extension not in (".xlsx", ".csv"):
            raise SpreadsheetError("Format berkas tidak didukung; gunakan .xlsx atau .csv.")
        self.data = data
        if self.extension == ".xlsx":
            self._sheets = _xlsx_sheets(data)

    def table(self, header: HeaderRow | None = None) -> Table:
        """The first visible sheet with ``header`` in its first rows, from that row on.

        Without ``header`` the first non-empty row of the first visible sheet is the header.
        """
        searched = []
        with closing(self._sheets_rows()) as sheets:
            for name, rows in sheets:
                found = _header(rows, header)
                if found is not None:
                    return _table(name, rows, *found)
                searched.append(name)
                if header is None:
                    break
        raise SpreadsheetError(_not_found(header, searched, self._hidden()))

    def _hidden(self) -> list[str]:
        if self.extension == ".csv":
            return []
        return [sheet.name for sheet in self._sheets if not sheet.visible]

    def _sheets_rows(self) -> Iterator[tuple[str, Iterator[tuple[int, list]]]]:
        """(sheet name, numbered rows) of each visible sheet; a CSV file is one nameless sheet."""
        if self.extension == ".csv":
            yield "", _csv_rows(self.data)
            return
        try:
            with (
                zipfile.ZipFile(io.BytesIO(self.data)) as archive,
                CalamineWorkbook.from_filelike(io.BytesIO(self.data)) as book,
            ):
                for sheet in self._sheets:
                    if sheet.visible:
                        extent = _measured(archive, sheet)
                        yield sheet.name, _xlsx_rows(book.get_sheet_by_name(sheet.name), extent)
        except (CalamineError, Unreadable):
            raise SpreadsheetError(_XLSX_BROKEN) from None


def read_table(data: bytes, filename: str, header: HeaderRow | None = None) -> Table:
    """A table of an XLSX or CSV file: see Workbook.table."""
    return Workbook(data, filename).table(header)


def _limits() -> tuple[int, int, int]:
    return (
        settings.DUKCAPIL_IMPORT_MAX_ROWS,
        settings.DUKCAPIL_IMPORT_MAX_COLUMNS,
        settings.DUKCAPIL_IMPORT_MAX_CELLS,
    )


def _header(rows: Iterator[tuple[int, list]], header: HeaderRow | None):
    """(row number, header names) of the header row, consuming the rows up to it."""
    for number, raw in rows:
        if header is not None and number > HEADER_SEARCH_ROWS:
            return None
        names = [str(_clean(cell)).lstrip("\ufeff").strip().upper() for cell in raw]
        while names and not names[-1]:
            names.pop()
        if names and (header is None or header.matches(names)):
            return number, names
    return None


def _not_found(header: HeaderRow | None, searched: list[str], hidden: list[str]) -> str:
    if header is None:
        return "Berkas kosong: tidak ada baris judul kolom."
    where = f"baris 1–{HEADER_SEARCH_ROWS}"
    if any(searched):
        where += " di lembar " + ", ".join(f"'{name}'" for name in searched)
    elif not searched:
        where = "tidak ada lembar yang terlihat"
    message = f"Baris judul kolom ({header}) tidak ditemukan; yang dibaca: {where}."
    if hidden:
        message += " Lembar tersembunyi tidak dibaca: " + ", ".join(f"'{n}'" for n in hidden) + "."
    return message


def _table(sheet: str, rows: Iterator[tuple[int, list]], header_number: int, headers) -> Table:
    max_rows, max_columns, max_cells = _limits()
    width = len(headers)
    if width > max_columns:
        raise SpreadsheetError(_too_wide(sheet, header_number, width, max_columns))
    table = Table(headers=headers, rows=[], row_numbers=[], sheet=sheet)
    cells_read = 0
    for number, raw in rows:
        cells_read += len(raw)
        if cells_read > max_cells:
            raise SpreadsheetError(_too_big(sheet, max_cells))
        # Plain text without an apostrophe is most cells: strip it inline, _clean the rest.
        cells = [c.strip() if type(c) is str and c[:1] != "'" else _clean(c) for c in raw[:width]]
        if not any(cell != "" for cell in cells):
            continue
        if len(table.rows) == max_rows:
            raise SpreadsheetError(_too_long(sheet, max_rows))
        cells.extend([""] * (width - len(cells)))
        if problems := _cell_problems(headers, cells):
            table.cell_problems[number] = problems
        table.rows.append(cells)
        table.row_numbers.append(number)
    return table


def _cell_problems(headers: list[str], cells: list) -> list[tuple[str, str]]:
    problems = []
    for header, cell in zip(headers, cells, strict=True):
        if type(cell) is ExcelError:
            problems.append((header, f"sel berisi galat Excel {cell}, bukan nilai."))
        elif type(cell) is str and "\x00" in cell:
            problems.append((header, "sel berisi karakter NUL (\\x00) yang tidak sah."))
    return problems


def _sheet_label(sheet: str) -> str:
    return f"Lembar '{sheet}'" if sheet else "Berkas"


def _too_long(sheet: str, max_rows: int) -> str:
    return (
        f"{_sheet_label(sheet)} berisi lebih dari {grouped(max_rows)} baris data; "
        "bagi berkas menjadi beberapa bagian."
    )


def _too_wide(sheet: str, row: int, column: int, max_columns: int) -> str:
    return (
        f"{_sheet_label(sheet)} terlalu lebar: ada isi di sel {_column_letter(column)}{row} "
        f"(kolom ke-{grouped(column)}), batasnya {grouped(max_columns)} kolom. "
        "Hapus isi sel di luar tabel lalu simpan ulang."
    )


def _too_big(sheet: str, max_cells: int) -> str:
    return (
        f"{_sheet_label(sheet)} terlalu besar: lebih dari {grouped(max_cells)} sel. "
        "Hapus kolom dan baris di luar tabel atau bagi berkas."
    )


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


def _xlsx_sheets(data: bytes) -> list[SheetPart]:
    _refuse_zip_bomb(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return workbook_sheets(archive)
    except (zipfile.BadZipFile, Unreadable):
        raise SpreadsheetError(_XLSX_BROKEN) from None


def _measured(archive: zipfile.ZipFile, sheet: SheetPart) -> Extent:
    max_rows, max_columns, max_cells = _limits()
    # Title rows above the header and empty rows between data rows are allowed for.
    last_row = max_rows + HEADER_SEARCH_ROWS
    try:
        return sheet_extent(
            archive, sheet.path, max_rows=last_row, max_columns=max_columns, max_cells=max_cells
        )
    except Oversize as at:
        if at.column > max_columns:
            raise SpreadsheetError(_too_wide(sheet.name, at.row, at.column, max_columns)) from None
        if at.row > last_row:
            raise SpreadsheetError(_too_long(sheet.name, max_rows)) from None
        raise SpreadsheetError(_too_big(sheet.name, max_cells)) from None


def _xlsx_rows(sheet: CalamineSheet, extent: Extent) -> Iterator[tuple[int, list]]:
    # iter_rows starts at A1 whatever the first used cell, so numbers are Excel's own.
    errors = defaultdict(list)
    for (row, column), text in extent.errors.items():
        errors[row].append((column - 1, ExcelError(text)))
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        for index, error in errors.get(number, ()):
            cells[index] = error
        yield number, cells


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


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
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
        yield from enumerate(reader, start=1)
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


# Excel in the Indonesian locale splits on ';', others on ',' or tabs: text after any of them
# must not start a formula either, should a program ignore the quotes.
_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t] *)(?=[=+\-@\t\r])")


def stream_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """Comma-separated UTF-8 with a BOM (Excel reads the encoding from it), in ~64 KB chunks.

    Every field is quoted, so a separator inside a value never splits it.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
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
        return _csv_text(value)
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):  # bool included
        return value
    if isinstance(value, dt.date):
        return _date_text(value)
    return _csv_text(str(value))


def _csv_text(value: str) -> str:
    return neutralise(_FORMULA_AFTER_SEPARATOR.sub(r"\1'", value))


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
