"""Admin behaviour shared by the apps: read-only records and spreadsheet imports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from import_export.admin import ImportMixin
from import_export.results import RowResult

from dukcapil.audit import audit_record
from dukcapil.import_formats import IMPORT_FORMATS
from dukcapil.models import AuditAction
from dukcapil.spreadsheets import SpreadsheetError, check_upload_size
from dukcapil.uploads import UploadGone, UploadStorage, upload_owned_by

ALREADY_PROCESSED = (
    "Impor ini sudah diproses, dibatalkan atau kedaluwarsa; tidak ada yang diimpor dua kali. "
    "Periksa daftarnya, atau unggah ulang berkasnya bila perlu."
)


class ReadOnlyAdminMixin:
    """Records kept as evidence or derived from a ledger: nobody adds, changes or deletes."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SpreadsheetImportMixin(ImportMixin):
    """django-import-export's upload flow, reading files through dukcapil.spreadsheets.

    The uploaded file is kept by dukcapil.uploads, private to its uploader, until the clerk
    confirms or cancels (or it expires); every confirmed import is written to the audit log.
    """

    tmp_storage_class = UploadStorage

    def get_import_formats(self):
        return IMPORT_FORMATS

    def add_data_read_fail_error_to_form(self, form, e):
        # The reader's refusals (size, zip bomb, encoding) are messages for the clerk.
        if isinstance(e, ValidationError):
            form.add_error("import_file", e.messages)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_urls(self):
        name = "{}_{}_import_cancel".format(*self.get_model_info())
        cancel = path("import/batal/", self.admin_site.admin_view(self.import_cancel), name=name)
        return [cancel, *super().get_urls()]

    def create_import_form(self, request):
        form = super().create_import_form(request)
        upload = form.files.get("import_file")
        if upload is not None:
            # write_to_tmp_storage is handed the file, not the request.
            upload.uploader = request.user
            if "import_file" not in form.errors:
                try:
                    check_upload_size(upload.size)  # before anything is stored
                except SpreadsheetError as exc:
                    form.add_error("import_file", exc.messages)
        return form

    def write_to_tmp_storage(self, import_file, input_format):
        storage = self.get_tmp_storage_class()(owner=import_file.uploader)
        storage.save(b"".join(import_file.chunks()))
        return storage

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        stored = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
        if stored and not response.context_data.get("confirm_form"):
            # A refused preview can never be confirmed: keep nothing of it.
            self._stored_upload(stored).remove()
        return response

    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if not upload_owned_by(request.POST.get("import_file_name", ""), request.user):
            raise Http404("Berkas unggahan tidak ditemukan.")
        try:
            return super().process_import(request, **kwargs)
        except UploadGone:
            self.message_user(request, ALREADY_PROCESSED, messages.WARNING)
            return HttpResponseRedirect(self._changelist_url())

    def process_dataset(self, dataset, form, request, **kwargs):
        result = super().process_dataset(dataset, form, request, **kwargs)
        totals = result.totals
        audit_record(
            actor=request.user,
            action=AuditAction.IMPORT,
            object_repr=str(self.opts.verbose_name_plural),
            detail={
                "model": self.opts.label_lower,
                "file": kwargs.get("file_name") or form.cleaned_data.get("original_file_name"),
                "applied": not (result.has_errors() or result.has_validation_errors()),
                "created": totals[RowResult.IMPORT_TYPE_NEW],
                "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
                "unchanged": totals[RowResult.IMPORT_TYPE_SKIP],
                "rejected": totals[RowResult.IMPORT_TYPE_INVALID],
            },
            request=request,
        )
        return result

    @method_decorator(require_POST)
    def import_cancel(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        name = request.POST.get("import_file_name", "")
        if not upload_owned_by(name, request.user):
            raise Http404("Berkas unggahan tidak ditemukan.")
        self._stored_upload(name).remove()
        self.message_user(request, "Impor dibatalkan; berkas unggahan sudah dihapus.")
        return HttpResponseRedirect(self._changelist_url())

    def _stored_upload(self, name: str):
        return self.get_tmp_storage_class()(name=name)

    def _changelist_url(self) -> str:
        return reverse("admin:{}_{}_changelist".format(*self.get_model_info()))
