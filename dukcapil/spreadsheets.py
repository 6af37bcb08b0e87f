"""Safe spreadsheet reading: the one place every upload is read.

It refuses what could hurt the server (oversize uploads, zip bombs; XML bombs are defused by
the parsers) and returns plain rows. Writing lives in dukcapil.sheet_writer.
"""

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePath
from pyexpat import ExpatError, ParserCreate

from defusedxml.ElementTree import fromstring as xml_fromstring
from django.conf import settings
from django.core.exceptions import ValidationError
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

from dukcapil.formats import grouped
from dukcapil.xlsx_scan import (
    Extent,
    Oversize,
    SheetPart,
    Unreadable,
    column_number,
    sheet_extent,
    workbook_sheets,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Small parts (styles, relationships) compress far better than any sensible bomb ratio.
_JUDGED_MEMBER_BYTES = 1024 * 1024
_XLSX_BROKEN = "Berkas XLSX rusak atau bukan berkas XLSX."
# The header row may sit below a title and a blank line or two; it is looked for this far.
HEADER_SEARCH_ROWS = 20
_CSV_CHECK_BYTES = 64 * 1024
# calamine holds a sheet whole (about twice its XML in memory); a bigger sheet is streamed.
_CALAMINE_MAX_SHEET_BYTES = 64 * 1024 * 1024
_CHUNK_BYTES = 1024 * 1024
_SHARED_STRINGS = "xl/sharedStrings.xml"
_STYLES = "xl/styles.xml"
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Excel's built-in number formats that show a date or a time.
_DATE_FORMAT_IDS = frozenset([*range(14, 23), 27, 30, 36, 45, 46, 47, 50, 57])


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

    def records(self) -> Iterator[tuple[int, list, list[tuple[str, str]]]]:
        """(row number, cells, cell problems) of each row, as RowStream.records gives them."""
        for number, cells in zip(self.row_numbers, self.rows, strict=True):
            yield number, cells, self.cell_problems.get(number, [])

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
        return self.stream(header).table()

    def stream(self, header: HeaderRow | None = None) -> "RowStream":
        """The sheet ``table`` would give, with its rows read on demand, one at a time."""
        searched = []
        for name, sheet in self._sheets_rows():
            rows = iter(sheet)
            found = _header(rows, header)
            if found is not None:
                number, names = found
                if len(names) > _limits()[1]:
                    raise SpreadsheetError(_too_wide(name, number, len(names), _limits()[1]))
                return RowStream(name, number, names, sheet, rows)
            searched.append(name)
            if header is None:
                break
        raise SpreadsheetError(_not_found(header, searched, self._hidden()))

    def _hidden(self) -> list[str]:
        if self.extension == ".csv":
            return []
        return [sheet.name for sheet in self._sheets if not sheet.visible]

    def _sheets_rows(self) -> Iterator[tuple[str, "_SheetRows"]]:
        """(sheet name, numbered rows) of each visible sheet; a CSV file is one nameless sheet."""
        if self.extension == ".csv":
            yield "", _SheetRows(lambda: _csv_rows(self.data))
            return
        with _xlsx_errors():
            archive = zipfile.ZipFile(io.BytesIO(self.data))
            book = None  # opened for the first sheet small enough for it: it copies the file
            for sheet in self._sheets:
                if not sheet.visible:
                    continue
                extent = _measured(archive, sheet)  # refuses what is too big, early
                if archive.getinfo(sheet.path).file_size > _CALAMINE_MAX_SHEET_BYTES:
                    yield sheet.name, _SheetRows(partial(_streamed_rows, self.data, sheet))
                else:
                    book = book or CalamineWorkbook.from_filelike(io.BytesIO(self.data))
                    loaded = book.get_sheet_by_name(sheet.name)
                    yield sheet.name, _SheetRows(partial(_xlsx_rows, loaded, extent))


@contextmanager
def _xlsx_errors():
    try:
        yield
    except (CalamineError, Unreadable, ExpatError, zipfile.BadZipFile, zlib.error):
        raise SpreadsheetError(_XLSX_BROKEN) from None


class _SheetRows:
    """A sheet's numbered rows, which can be read again from the top."""

    def __init__(self, read: Callable[[], Iterator[tuple[int, list]]]):
        self._read = read

    def __iter__(self) -> Iterator[tuple[int, list]]:
        with _xlsx_errors():
            yield from self._read()


class RowStream:
    """One sheet from its header row on, read row by row so memory does not grow with it.

    ``records()`` yields what ``Table.records()`` does, checking the same limits as it goes;
    each call reads the sheet again from the header row on (a sheet small enough for
    calamine stays loaded, so reading it again is cheap).
    """

    def __init__(self, sheet: str, header_number: int, headers, rows: _SheetRows, rest):
        self.sheet = sheet
        self.headers = headers
        self._header_number = header_number
        self._rows = rows
        self._rest = rest  # the rows after the header, left by the header search

    def records(self) -> Iterator[tuple[int, list, list[tuple[str, str]]]]:
        rows, self._rest = self._rest, None
        if rows is None:
            rows = itertools.dropwhile(lambda row: row[0] <= self._header_number, self._rows)
        yield from _records(self.sheet, rows, self.headers)

    def table(self) -> Table:
        table = Table(headers=self.headers, rows=[], row_numbers=[], sheet=self.sheet)
        for number, cells, problems in self.records():
            if problems:
                table.cell_problems[number] = problems
            table.rows.append(cells)
            table.row_numbers.append(number)
        return table


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


def _records(sheet: str, rows: Iterator[tuple[int, list]], headers: list[str]):
    max_rows, _, max_cells = _limits()
    width = len(headers)
    cells_read = count = 0
    for number, raw in rows:
        cells_read += len(raw)
        if cells_read > max_cells:
            raise SpreadsheetError(_too_big(sheet, max_cells))
        # Plain text without an apostrophe is most cells: strip it inline, _clean the rest.
        cells = [c.strip() if type(c) is str and c[:1] != "'" else _clean(c) for c in raw[:width]]
        if not any(cell != "" for cell in cells):
            continue
        if count == max_rows:
            raise SpreadsheetError(_too_long(sheet, max_rows))
        count += 1
        cells.extend([""] * (width - len(cells)))
        yield number, cells, _cell_problems(headers, cells)


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
        f"{_sheet_label(sheet)} terlalu lebar: ada isi di sel {column_letter(column)}{row} "
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


def _streamed_rows(data: bytes, sheet: SheetPart) -> Iterator[tuple[int, list]]:
    """The numbered rows of a big sheet, parsed as the XML streams in: memory stays bounded.

    Gives the cells calamine would (shared strings, dates for date-formatted numbers, Excel
    error cells) and refuses a value beyond the column limit as the measuring scan does.
    """
    archive = zipfile.ZipFile(io.BytesIO(data))
    strings = _shared_strings(archive)
    date_styles = _date_styles(archive)
    max_columns = _limits()[1]
    parser = ParserCreate()
    parser.buffer_text = True
    done: list[tuple[int, list]] = []
    row: list = []
    number = column = 0
    kind = style = ""
    text: list[str] = []

    def start(name: str, attrs: dict) -> None:
        nonlocal number, column, kind, style, row
        local = name.rpartition(":")[2]
        if local == "c":
            ref = attrs.get("r")
            column = column_number(ref.rstrip("0123456789")) if ref else column + 1
            if column > max_columns:
                raise SpreadsheetError(_too_wide(sheet.name, number, column, max_columns))
            kind, style = attrs.get("t", "n"), attrs.get("s", "0")
            text.clear()
            parser.CharacterDataHandler = None
        elif local == "v" or (local == "t" and kind == "inlineStr"):
            parser.CharacterDataHandler = text.append
        elif local == "row":
            given = attrs.get("r", "")
            number = int(given) if given.isdigit() else number + 1
            row, column = [], 0

    def end(name: str) -> None:
        local = name.rpartition(":")[2]
        if local == "v" or local == "t":
            parser.CharacterDataHandler = None
        elif local == "c" and text:
            row.extend([""] * (column - len(row)))
            row[column - 1] = _cell_value(kind, "".join(text), style in date_styles, strings)
        elif local == "row" and row:
            done.append((number, row))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = _refuse_doctype
    with archive.open(sheet.path) as stream:
        while chunk := stream.read(_CHUNK_BYTES):
            parser.Parse(chunk, False)
            yield from done
            done.clear()
        parser.Parse(b"", True)
    yield from done


def _cell_value(kind: str, text: str, is_date: bool, strings: list[str]):
    if kind == "s":
        return strings[int(text)]
    if kind in ("inlineStr", "str"):
        return text
    if kind == "e":
        return ExcelError(text.strip())
    if kind == "b":
        return text.strip() == "1"
    number = float(text)
    if is_date:
        moment = EXCEL_EPOCH + dt.timedelta(days=number)
        moment = moment.replace(microsecond=round(moment.microsecond, -3) % 1_000_000)
        return moment.date() if moment.time() == dt.time() else moment
    return number


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if _SHARED_STRINGS not in archive.NameToInfo:
        return []
    strings: list[str] = []
    parts: list[str] = []
    parser = ParserCreate()
    parser.buffer_text = True

    def start(name: str, attrs: dict) -> None:
        local = name.rpartition(":")[2]
        if local == "si":
            parts.clear()
        elif local == "t":
            parser.CharacterDataHandler = parts.append
        elif local == "rPh":  # a phonetic reading, not part of the text
            parser.CharacterDataHandler = None

    def end(name: str) -> None:
        local = name.rpartition(":")[2]
        if local == "t":
            parser.CharacterDataHandler = None
        elif local == "si":
            strings.append("".join(parts))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = _refuse_doctype
    with archive.open(_SHARED_STRINGS) as stream:
        while chunk := stream.read(_CHUNK_BYTES):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    return strings


def _date_styles(archive: zipfile.ZipFile) -> set[str]:
    """The cell style indexes (as written in s="…") whose number format shows a date."""
    if _STYLES not in archive.NameToInfo:
        return set()
    root = xml_fromstring(archive.read(_STYLES), forbid_dtd=True)
    custom = {}
    for element in root.iter():
        if element.tag.rpartition("}")[2] == "numFmt":
            custom[element.get("numFmtId", "")] = element.get("formatCode", "")
    dates = set()
    for element in root.iter():
        if element.tag.rpartition("}")[2] == "cellXfs":
            for index, xf in enumerate(element):
                format_id = xf.get("numFmtId", "0")
                built_in = format_id.isdigit() and int(format_id) in _DATE_FORMAT_IDS
                if built_in or _shows_date(custom.get(format_id, "")):
                    dates.add(str(index))
    return dates


def _shows_date(code: str) -> bool:
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code).lower()
    return any(letter in plain for letter in "dmyhs")


def _refuse_doctype(*args) -> None:
    raise Unreadable("doctype")  # Excel never writes a DTD; one can only be an entity bomb


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
    encoding = _csv_encoding(data)
    # Decoded as it is read: a copy of the whole text would grow with the file.
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")
    header_line = ""
    while not header_line.strip("\r\n") and (line := text.readline()):
        header_line = line
    text.seek(0)
    # Excel with the Indonesian locale separates with ';' because ',' is the decimal mark.
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(text, delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error:
        raise SpreadsheetError(
            f"Berkas CSV rusak sekitar baris {reader.line_num}: "
            "ada sel yang terlalu panjang atau tanda kutip yang tidak ditutup."
        ) from None


def _csv_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CSV_CHECK_BYTES):
            decoder.decode(view[start : start + _CSV_CHECK_BYTES])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        # What Excel on Indonesian Windows writes; five bytes are undefined in it.
        return "cp1252"
    return "utf-8"


def column_letter(index: int) -> str:
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
