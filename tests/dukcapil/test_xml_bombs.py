"""An XLSX is XML inside a zip: a workbook carrying a DTD (an entity bomb, an external entity)
is refused before any XML parser expands it."""

import io
import zipfile

import pytest

from dukcapil.spreadsheets import HeaderRow, SpreadsheetError, read_table
from tests.sheets import hostile_xlsx, text_row

BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _with_doctype(part: str, doctype: str, entity: str) -> bytes:
    book = hostile_xlsx({"Data": [text_row(1, "NIK"), text_row(2, "5371011001900001")]})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == part:
                data = doctype.encode() + data.replace(b"5371011001900001", entity.encode())
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("doctype, entity", [(BOMB, "&lol3;"), (EXTERNAL, "&xxe;")])
@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_a_workbook_part_with_a_dtd_is_refused(part, doctype, entity):
    with pytest.raises(SpreadsheetError):
        read_table(_with_doctype(part, doctype, entity), "penduduk.xlsx", HeaderRow(("NIK",)))
