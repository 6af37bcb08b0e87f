"""django-import-export formats that read uploads through dukcapil.spreadsheets.

The library's own formats parse with tablib (openpyxl, text decoding fixed per admin); these
hand the raw bytes to the project's safe reader, which checks sizes and zip bombs, detects the
CSV encoding and delimiter, and reads XLSX with calamine. The dataset is a Workbook: each
resource reads from it the table whose header row it knows.
"""

from pathlib import PurePath

from django import forms
from import_export.formats.base_formats import Format
from import_export.forms import ImportForm

from dukcapil.spreadsheets import Workbook


class _SpreadsheetFormat(Format):
    extension = ""

    def __init__(self, encoding=None):
        super().__init__()  # the reader detects the text encoding itself

    def get_title(self):
        return self.extension.upper()

    def create_dataset(self, in_stream):
        return Workbook(in_stream, f"unggahan.{self.extension}")

    def is_binary(self):
        return True  # CSV too, so the reader sees the bytes and can detect their encoding

    def get_read_mode(self):
        return "rb"

    def get_extension(self):
        return self.extension

    def can_import(self):
        return True

    def can_export(self):
        return False


class XlsxFormat(_SpreadsheetFormat):
    extension = "xlsx"


class CsvFormat(_SpreadsheetFormat):
    extension = "csv"


IMPORT_FORMATS = [XlsxFormat, CsvFormat]


class ExtensionImportForm(ImportForm):
    """The library's upload form with the format taken from the file name, not asked for."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["format"].required = False
        self.fields["format"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload:
            extension = PurePath(upload.name).suffix.lower().lstrip(".")
            extensions = [f.extension for f in IMPORT_FORMATS]
            if extension not in extensions:
                self.add_error("import_file", "Hanya berkas .xlsx atau .csv yang dapat diimpor.")
            else:
                cleaned["format"] = str(extensions.index(extension))
        return cleaned
