"""List columns about the applicant, shared by the application lists; NIK masked by role.

None of them sorts: each would sort the list by a column of another table (the resident's).
"""

from django.contrib import admin

from dukcapil.privacy import masked_column, masked_names
from registry.admin.residents import resident_search


class ApplicantColumnsMixin:
    """For admins of applications: name, NIK (masked without the full view), kelurahan, search."""

    search_help_text = "Cari dengan NIK atau No. KK (16 digit, persis) atau sebagian nama."

    def get_list_display(self, request):
        return masked_names(request.user, self.list_display)

    def get_search_results(self, request, queryset, search_term):
        return resident_search(self, request, queryset, search_term, via="resident__"), False

    @admin.display(description="nama")
    def name(self, obj):
        return obj.resident.full_name

    @admin.display(description="NIK")
    def nik(self, obj):
        return obj.resident.nik

    nik_masked = masked_column("NIK", lambda application: application.resident.nik)

    @admin.display(description="kelurahan")
    def village(self, obj):
        return obj.resident.village
