"""Measuring an XLSX sheet before calamine loads it.

calamine holds a sheet as one dense grid (last row × last column), so a single stray value in
XFD1 costs 16,384 cells on every row, and two million one-cell rows cost two million rows,
before Python sees any of them. Each sheet's XML is streamed through expat first: only cells
that hold a value count (as in calamine), and the scan stops at the first one beyond the
limits. It also notes error cells (#N/A, #REF!…), which calamine hands over as empty text.
"""

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pyexpat import ExpatError, ParserCreate
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as xml_fromstring

_CHUNK_BYTES = 1024 * 1024
# Workbook and relationship parts list sheet names only; anything bigger is not a spreadsheet.
_SMALL_PART_BYTES = 1024 * 1024
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


class Unreadable(Exception):
    """The archive is not a workbook calamine could read either."""


class Oversize(Exception):
    """A value lies outside the limits; ``row`` and ``column`` count from 1."""

    def __init__(self, row: int, column: int):
        super().__init__(row, column)
        self.row, self.column = row, column


@dataclass(frozen=True)
class SheetPart:
    name: str
    path: str
    visible: bool


@dataclass
class Extent:
    rows: int = 0  # last row holding a value, from 1
    columns: int = 0  # last column holding a value, from 1
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) → "#N/A"


def workbook_sheets(archive: zipfile.ZipFile) -> list[SheetPart]:
    """The worksheets in workbook order, with the archive member that holds each."""
    workbook = _small_part(archive, "xl/workbook.xml")
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in _small_part(archive, "xl/_rels/workbook.xml.rels")
    }
    sheets = []
    for sheet in workbook.iter():
        if sheet.tag.rpartition("}")[2] != "sheet":
            continue
        target = targets.get(sheet.get(_REL), "")
        path = target[1:] if target.startswith("/") else posixpath.normpath("xl/" + target)
        if not target.endswith(".xml") or path not in archive.NameToInfo:
            continue  # a chart sheet or dialog sheet: no cells to read
        sheets.append(
            SheetPart(sheet.get("name", ""), path, sheet.get("state", "visible") == "visible")
        )
    return sheets


def _small_part(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        if archive.getinfo(name).file_size > _SMALL_PART_BYTES:
            raise Unreadable(name)
        # Excel never writes a DTD; one in a workbook part can only be an entity bomb.
        return xml_fromstring(archive.read(name), forbid_dtd=True)
    except (KeyError, ElementTree.ParseError, DefusedXmlException):
        raise Unreadable(name) from None


def sheet_extent(
    archive: zipfile.ZipFile, path: str, *, max_rows: int, max_columns: int, max_cells: int
) -> Extent:
    """Where the sheet's values end; raises Oversize at the first value past a limit."""
    extent = Extent()
    parser = ParserCreate()
    parser.buffer_text = True
    row = column = 0
    cell = None  # (row, column, is an error cell) of the open <c>
    error_text: list[str] = []

    def start(name: str, attrs: dict) -> None:
        nonlocal row, column, cell
        local = name.rpartition(":")[2]
        if local == "c":
            ref = attrs.get("r")
            if ref:
                match = _REF.fullmatch(ref)
                if match is None:
                    raise Unreadable(ref)
                column = column_number(match[1])
                cell = (int(match[2]), column, attrs.get("t") == "e")
            else:
                column += 1
                cell = (row, column, attrs.get("t") == "e")
        elif (local == "v" or local == "is") and cell is not None:
            at_row, at_column, is_error = cell
            if at_row > extent.rows or at_column > extent.columns:
                extent.rows = max(extent.rows, at_row)
                extent.columns = max(extent.columns, at_column)
                if (
                    at_row > max_rows
                    or at_column > max_columns
                    or extent.rows * extent.columns > max_cells
                ):
                    raise Oversize(at_row, at_column)
            if is_error and local == "v":
                error_text.clear()
                parser.CharacterDataHandler = error_text.append
                parser.EndElementHandler = end_error
        elif local == "row":
            number = attrs.get("r", "")
            row = int(number) if number.isdigit() else row + 1
            column = 0

    def end_error(name: str) -> None:
        at_row, at_column, _ = cell
        extent.errors[at_row, at_column] = "".join(error_text).strip()
        parser.CharacterDataHandler = None
        parser.EndElementHandler = None

    def refuse_doctype(*args) -> None:
        raise Unreadable(path)  # as in _small_part: a DTD in a sheet is never Excel's

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse_doctype
    try:
        with archive.open(path) as stream:
            while chunk := stream.read(_CHUNK_BYTES):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (ExpatError, ValueError, zipfile.BadZipFile, zlib.error):
        raise Unreadable(path) from None
    return extent


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
