"""Safe spreadsheet reading: the one place every upload is read.

It refuses what could hurt the server (oversize uploads, zip bombs; XML bombs are defused by
the parsers) and returns plain rows. Writing lives in dukcapil.sheet_writer.
"""

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
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
# Small parts (styles, relationships) compress far better than any sensible bomb ratio.
_JUDGED_MEMBER_BYTES = 1024 * 1024
_XLSX_BROKEN = "Berkas XLSX rusak atau bukan berkas XLSX."
# The header row may sit below a title and a blank line or two; it is looked for this far.
HEADER_SEARCH_ROWS = 20


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


def column_letter(index: int) -> str:
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
