"""Importing the central system's result sheet (PRR, duplicate, enrolment failure) in bulk.

The application admin mixes this in: django-import-export's upload → preview → confirm flow,
open to the recording operators, with every change made by services.central_results.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from dukcapil.admin_mixins import SpreadsheetImportMixin
from dukcapil.formats import grouped
from registry.central_resources import CentralResultsResource
from registry.forms import ResidentImportForm

MESSAGE_PROBLEMS = 5


class CentralResultsImportForm(ResidentImportForm):
    """The same upload checks as the resident import, without its valid-rows-only choice:
    a central result sheet is all or nothing."""

    valid_only = None

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].label = "Lembar hasil dari pusat (.xlsx atau .csv)"


class CentralResultsImportMixin(SpreadsheetImportMixin):
    resource_classes = [CentralResultsResource]
    import_form_class = CentralResultsImportForm
    import_template_name = "admin/registry/cardapplication/import.html"
    import_export_change_list_template = "admin/registry/cardapplication/change_list.html"

    def has_import_permission(self, request) -> bool:
        # The recording desk enters the central system's answers, one by one or by sheet.
        return request.user.has_perm("registry.record_biometrics")

    def process_result(self, result, request):
        report = result.report
        if not report.applied and report.unchanged and not report.problems:
            self.message_user(
                request,
                f"Tidak ada yang berubah: {report.unchanged} permohonan sudah berstatus sesuai "
                "berkas ini.",
                messages.WARNING,
            )
            return HttpResponseRedirect(reverse("admin:registry_cardapplication_changelist"))
        if not report.applied:
            # Someone moved an application between the preview and the confirmation.
            problems = [str(p) for p in report.problems[:MESSAGE_PROBLEMS]]
            problems += [e.error for e in result.base_errors]
            if len(report.problems) > MESSAGE_PROBLEMS:
                problems.append(f"… dan {grouped(len(report.problems) - MESSAGE_PROBLEMS)} lagi.")
            self.message_user(
                request,
                "Tidak ada yang diubah: " + " ".join(problems) + " Unggah ulang berkasnya.",
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:registry_cardapplication_import"))
        counts = "; ".join(f"{label}: {grouped(count)}" for label, count in result.outcome_rows)
        self.message_user(
            request,
            f"Hasil dari pusat dicatat untuk {grouped(sum(report.outcome.values()))} permohonan: "
            f"{counts}."
            + (
                f" {grouped(report.unchanged)} sudah berstatus itu (dilewati)."
                if report.unchanged
                else ""
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:registry_cardapplication_changelist"))
