"""Formula-safe streaming export: XLSX and CSV written in constant memory.

Text a spreadsheet program would run as a formula is neutralised; rows are written as they
come, so an export of a whole register never holds it in memory. An error while writing (the
row source failing, say) is raised to whoever iterates, mid-stream and with nothing more
written: the server then breaks off the download rather than ending a short file cleanly.
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
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

from django.utils import timezone

from dukcapil.spreadsheets import EXCEL_EPOCH, FORMULA_STARTS, column_letter

_CHUNK_BYTES = 64 * 1024
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_NAME_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
# 1 March 1900: Excel believes 1900 was a leap year, so earlier serials are a day off.
_EXCEL_FIRST_SERIAL = 61
# Excel keeps 15 significant digits: a 16-digit NIK written as a number loses its last digit.
_EXCEL_INT_LIMIT = 10**15
_BOLD, _DATE, _DATETIME = 1, 2, 3  # indexes into cellXfs in styles.xml


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
        value = _local(value)
        return f"{value.day:02}-{value.month:02}-{value.year} {value.hour:02}:{value.minute:02}"
    return f"{value.day:02}-{value.month:02}-{value.year}"  # strftime costs three times as much


# Excel in the Indonesian locale splits on ';', others on ',' or tabs: text after any of them
# must not start a formula either, should a program ignore the quotes.
_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t] *)(?=[=+\-@\t\r])")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)
# Rows go to the C writer in batches, and the output is cut at the first row end past 64 KB.
_CSV_BATCH_ROWS = 64


def stream_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """Comma-separated UTF-8 with a BOM (Excel reads the encoding from it), in ~64 KB chunks.

    Every field is quoted, so a separator inside a value never splits it.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(_csv_row(headers))
    rows = iter(rows)
    while batch := list(islice(rows, _CSV_BATCH_ROWS)):
        writer.writerows(map(_csv_row, batch))
        if buffer.tell() >= _CHUNK_BYTES:
            yield _csv_chunk(buffer)
    yield _csv_chunk(buffer)


def _csv_row(row: Sequence) -> list:
    # Inlined for the common plain text cell: a function call per cell halves the speed.
    return [
        value if type(value) is str and value[:1] not in _FORMULA_FIRST else _csv_cell(value)
        for value in row
    ]


def _csv_chunk(buffer: io.StringIO) -> bytes:
    """The buffer's rows as bytes, with text after a separator neutralised, and the buffer
    emptied.

    Done once per chunk rather than per cell: every field is quoted, so between fields a
    separator is always followed by a quote and the pattern only ever matches inside a value;
    numbers and dates hold no separator.
    """
    text = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", buffer.getvalue())
    buffer.seek(0)
    buffer.truncate()
    return text.encode()


def _csv_cell(value):
    if type(value) is str:
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


@dataclass
class Sheet:
    """One worksheet of a workbook: its tab name, header row and rows (any iterable).

    The writer reads ``headers`` and ``rows`` only when it reaches the sheet (so they may be
    built lazily) and keeps ``written``, the rows written so far.
    """

    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    print_landscape: bool = False
    written: int = 0


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
    return stream_workbook([Sheet(sheet_name, headers, rows, print_landscape)])


def stream_workbook(sheets: Sequence[Sheet]) -> Iterator[bytes]:
    """Several worksheets in one XLSX, each written in turn in constant memory.

    How many there are is known from the start ([Content_Types].xml, which lists them, comes
    first in the file, where programs that sniff a file's type look for it); what is in each
    is asked for only when its turn comes.
    """
    if not sheets:
        raise ValueError("A workbook needs at least one sheet.")
    names = _sheet_names([sheet.name for sheet in sheets])
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as book:
        for name, content in _fixed_parts(len(sheets)).items():
            book.writestr(name, content)
        yield sink.take()
        ranges = []
        for number, sheet in enumerate(sheets, start=1):
            ranges.append((yield from _write_sheet(book, sink, number, sheet)))
        book.writestr("xl/workbook.xml", _workbook_xml(names, ranges))
    yield sink.take()


def _write_sheet(book: zipfile.ZipFile, sink: "_Sink", number: int, sheet: Sheet):
    """Stream one worksheet's XML into the book; returns its autofilter range."""
    # A streamed member's size is unknown when its header is written, so the header must
    # already allow ZIP64: past 2 GiB of XML (some 1.75 million resident rows) zipfile
    # refuses to finish a member opened without it, after ~100 MB had gone out.
    with book.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as part:
        batch = [
            _sheet_head(sheet.headers, sheet.print_landscape),
            _xml_row(1, sheet.headers, style=_BOLD),
        ]
        size, row_number = 0, 1
        for row_number, row in enumerate(sheet.rows, start=2):
            batch.append(_xml_row(row_number, row))
            sheet.written += 1
            size += len(batch[-1])
            if size >= _CHUNK_BYTES:
                part.write("".join(batch).encode())
                batch, size = [], 0
                if chunk := sink.take():  # the compressor may still be holding everything
                    yield chunk
        last_column = column_letter(max(len(sheet.headers), 1))
        batch.append(f'</sheetData><autoFilter ref="A1:{last_column}{row_number}"/>')
        batch.append(_A4_LANDSCAPE if sheet.print_landscape else "")
        batch.append("</worksheet>")
        part.write("".join(batch).encode())
    return f"$A$1:${last_column}${row_number}"


def _sheet_names(wanted: list[str]) -> list[str]:
    """Excel's rules: no []:*?/\\, at most 31 characters, no leading or trailing apostrophe,
    and no two tabs alike (compared without case)."""
    names: list[str] = []
    for name in wanted:
        base = _SHEET_NAME_ILLEGAL.sub("-", name)[:31].strip("'") or "Data"
        candidate, copy = base, 1
        while candidate.casefold() in {n.casefold() for n in names}:
            copy += 1
            suffix = f" ({copy})"
            candidate = base[: 31 - len(suffix)] + suffix
        names.append(candidate)
    return names


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, sheet_name="Data") -> bytes:
    """The whole XLSX at once, for small files such as a rejected-rows report."""
    return b"".join(stream_xlsx(headers, rows, sheet_name=sheet_name))


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
        return (value - EXCEL_EPOCH).total_seconds() / 86400
    return (value - EXCEL_EPOCH.date()).days


def _workbook_xml(names: list[str], ranges: list[str]) -> str:
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    # Excel keeps each autofilter range in this hidden name as well as in the sheet.
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quoted(name))}!{filter_range}</definedName>"
        for i, (name, filter_range) in enumerate(zip(names, ranges, strict=True))
    )
    return (
        f'{_XML_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f"<sheets>{sheets}</sheets><definedNames>{filters}</definedNames></workbook>"
    )


def _quoted(sheet_name: str) -> str:
    return "'" + sheet_name.replace("'", "''") + "'"


def _fixed_parts(sheet_count: int) -> dict[str, str]:
    numbers = range(1, sheet_count + 1)
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        for n in numbers
    )
    sheet_relations = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in numbers
    )
    return {
        "[Content_Types].xml": f'{_XML_DECLARATION}<Types xmlns="{_PACKAGE}/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'{sheet_types}<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
        "</Types>",
        "_rels/.rels": _ROOT_RELATIONS,
        "xl/_rels/workbook.xml.rels": f'{_XML_DECLARATION}<Relationships xmlns="{_PACKAGE}/'
        f'relationships">{sheet_relations}<Relationship Id="rId{sheet_count + 1}" '
        f'Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": _STYLES,
    }


_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_ROOT_RELATIONS = (
    f'{_XML_DECLARATION}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
# The cellXfs are, in order: normal, _BOLD, _DATE, _DATETIME.
_STYLES = (
    f'{_XML_DECLARATION}<styleSheet xmlns="{_MAIN}">'
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
    "</cellStyles></styleSheet>"
)
