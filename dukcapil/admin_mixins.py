"""Admin behaviour shared by the apps: read-only records and spreadsheet imports."""

from django.core.exceptions import ValidationError
from import_export.admin import ImportMixin

from dukcapil.import_formats import IMPORT_FORMATS


class ReadOnlyAdminMixin:
    """Records kept as evidence or derived from a ledger: nobody adds, changes or deletes."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SpreadsheetImportMixin(ImportMixin):
    """django-import-export's upload flow, reading files through dukcapil.spreadsheets."""

    def get_import_formats(self):
        return IMPORT_FORMATS

    def add_data_read_fail_error_to_form(self, form, e):
        # The reader's refusals (size, zip bomb, encoding) are messages for the clerk.
        if isinstance(e, ValidationError):
            form.add_error("import_file", e.messages)
        else:
            super().add_data_read_fail_error_to_form(form, e)
