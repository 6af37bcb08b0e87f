"""Safe spreadsheet reading and formula-safe streaming export: the one place for both.

Reading refuses what could hurt the server (oversize uploads, zip bombs; XML bombs are
defused by the parsers) and returns plain rows. Writing streams XLSX or CSV in constant memory
and neutralises cells a spreadsheet program would run as formulas.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ValidationError
from python_calamine import CalamineWorkbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_JUDGED_MEMBER_BYTES = 1024 * 1024
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


class SpreadsheetError(ValidationError):
    """The file cannot be read; the message says why, in Indonesian."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list]
    row_numbers: list[int] = field(default_factory=list)  # spreadsheet row of each data row

    def __len__(self) -> int:
        return len(self.rows)


def check_upload_size(size: int) -> None:
    limit = settings.DUKCAPIL_UPLOAD_MAX_BYTES
    if size > limit:
        raise SpreadsheetError(
            f"Berkas terlalu besar ({size / 2**20:.1f} MB); batasnya {limit / 2**20:.0f} MB. "
            "Bagi berkas menjadi beberapa bagian."
        )


def read_table(data: bytes, filename: str) -> Table:
    """The first sheet of an XLSX or a CSV file as a Table, header row first."""
    check_upload_size(len(data))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        rows = _xlsx_rows(data)
    elif extension == "csv":
        rows = _csv_rows(data)
    else:
        raise SpreadsheetError("Format berkas tidak didukung; gunakan .xlsx atau .csv.")
    return _table(rows)


def _table(rows: Iterable[list]) -> Table:
    headers, table_rows, numbers = None, [], []
    for number, row in enumerate(rows, start=1):
        if not any(cell not in ("", None) for cell in row):
            continue
        if headers is None:
            headers = [str(cell or "").strip().lstrip("\ufeff").upper() for cell in row]
            continue
        # Plain text is by far the most common cell: strip it inline, send the rest to _clean.
        cells = [
            c.strip() if type(c) is str and c[:1] != "'" else _clean(c) for c in row[: len(headers)]
        ]
        cells.extend([""] * (len(headers) - len(cells)))
        table_rows.append(cells)
        numbers.append(number)
    if headers is None:
        raise SpreadsheetError("Berkas kosong: tidak ada baris judul kolom.")
    return Table(headers, table_rows, numbers)


def _clean(cell):
    if isinstance(cell, str):
        # Our own exports prefix formula-like text with an apostrophe; take it off again.
        if len(cell) > 1 and cell[1] in FORMULA_STARTS:
            return cell[1:]
        return cell.strip()
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell


def _xlsx_rows(data: bytes) -> list[list]:
    _refuse_zip_bomb(data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:
        raise SpreadsheetError("Berkas XLSX rusak atau bukan XLSX.") from None


def _refuse_zip_bomb(data: bytes) -> None:
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        raise SpreadsheetError("Berkas XLSX rusak atau bukan XLSX.") from None
    total = sum(m.file_size for m in members)
    if total > settings.DUKCAPIL_XLSX_MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(
            f"Isi berkas XLSX terlalu besar setelah dibuka ({total / 2**20:.0f} MB); ditolak."
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _JUDGED_MEMBER_BYTES and ratio > settings.DUKCAPIL_XLSX_MAX_RATIO:
            raise SpreadsheetError(
                f"Berkas XLSX mencurigakan (rasio kompresi {ratio:.0f}:1); ditolak."
            )


def _csv_rows(data: bytes) -> list[list]:
    if data.startswith(b"\xef\xbb\xbf"):
        text = data.decode("utf-8-sig")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # Excel on Windows
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def neutralise(value):
    """Keep a spreadsheet program from running text as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def stream_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (Excel reads the encoding from it), in ~64 KB chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
        if buffer.tell() > 65536:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return neutralise(value)


class _Drain(io.RawIOBase):
    """A write-only, unseekable sink whose contents are taken out as they arrive."""

    def __init__(self):
        self.chunks: list[bytes] = []
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def stream_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence], *, sheet_name: str = "Data"
) -> Iterator[bytes]:
    """A minimal, valid XLSX written as a stream: text as inline strings, never formulas."""
    sink = _Drain()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as book:
        for name, content in _xlsx_parts(sheet_name).items():
            book.writestr(name, content)
        yield sink.take()
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_sheet_head(headers).encode())
            lines = []
            for number, row in enumerate(rows, start=2):
                lines.append(_xml_row(number, row))
                if len(lines) == 500:
                    sheet.write("".join(lines).encode())
                    lines = []
                    yield sink.take()
            sheet.write(("".join(lines) + "</sheetData>").encode())
            last = _column_letter(len(headers))
            sheet.write(f'<autoFilter ref="A1:{last}1"/></worksheet>'.encode())
    yield sink.take()


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, sheet_name="Data") -> bytes:
    return b"".join(stream_xlsx(headers, rows, sheet_name=sheet_name))


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _sheet_head(headers: Sequence[str]) -> str:
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{min(max(len(h) + 4, 10), 40)}" customWidth="1"/>'
        for i, h in enumerate(headers, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f"<cols>{widths}</cols><sheetData>" + _xml_row(1, headers, style=1)
    )


def _xml_row(number: int, values: Sequence, style: int = 0) -> str:
    cells = []
    for value in values:
        if value is None or value == "":
            cells.append("<c/>")
        elif isinstance(value, bool):
            cells.append(f'<c t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, int | float):
            cells.append(f"<c><v>{value}</v></c>")
        elif isinstance(value, dt.date):
            cells.append(f'<c s="2"><v>{_excel_serial(value)}</v></c>')
        else:
            text = escape(_XML_ILLEGAL.sub("", str(neutralise(value))))
            style_attr = f' s="{style}"' if style else ""
            cells.append(
                f'<c t="inlineStr"{style_attr}><is><t xml:space="preserve">{text}</t></is></c>'
            )
    return f'<row r="{number}">{"".join(cells)}</row>'


def _excel_serial(value: dt.date) -> float | int:
    if isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=None) - _EXCEL_EPOCH
        return moment.days + moment.seconds / 86400
    return (value - _EXCEL_EPOCH.date()).days


def _xlsx_parts(sheet_name: str) -> dict[str, str]:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    sheet_name = escape(sheet_name[:31])
    return {
        "[Content_Types].xml": f'{xml}<Types xmlns="{package}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": f'{xml}<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'{xml}<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        f'<sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{xml}<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": f'{xml}<styleSheet xmlns="{main}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd\\-mm\\-yyyy"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="3"><xf/>'
        '<xf fontId="1" applyFont="1"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>",
    }
