"""Spreadsheet files for tests: ordinary workbooks with Excel error cells, and hostile ones
whose sheet XML is written by hand."""

import zipfile
from io import BytesIO

import openpyxl

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


class ExcelError(str):
    """A cell value xlsx_of writes as an Excel error cell: ExcelError("#N/A")."""


def xlsx_of(rows: list[list], *, sheet_name: str = "Data") -> bytes:
    """An XLSX as Excel (via openpyxl) writes it; None leaves a cell empty."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_name
    for number, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, ExcelError):
                cell.data_type = "e"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def hostile_xlsx(sheets: dict[str, object], hidden=()) -> bytes:
    """An XLSX whose sheet XML is written directly: rows may be any iterable of row XML."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        states = {name: ' state="hidden"' if name in hidden else "" for name in sheets}
        entries = "".join(
            f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"{states[name]}/>'
            for i, name in enumerate(sheets, start=1)
        )
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{entries}</sheets></workbook>',
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PACKAGE_REL}">{rels}</Relationships>',
        )
        book.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_PACKAGE_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        for i, rows in enumerate(sheets.values(), start=1):
            with book.open(f"xl/worksheets/sheet{i}.xml", "w") as sheet:
                sheet.write(f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
                batch = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == 50_000:
                        sheet.write("".join(batch).encode())
                        batch = []
                sheet.write(("".join(batch) + "</sheetData></worksheet>").encode())
    return buffer.getvalue()


def text_row(number: int, *values: str) -> str:
    """Row XML for hostile_xlsx: each value an inline string, cells without references."""
    cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)
    return f'<row r="{number}">{cells}</row>'
