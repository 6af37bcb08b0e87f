"""List columns about the applicant, shared by the application lists; NIK masked by role."""

from django.contrib import admin

from registry.admin.residents import FULL_NIK, resident_search
from registry.nik import mask_number


class ApplicantColumnsMixin:
    """For admins of applications: name, NIK (masked without FULL_NIK), kelurahan, search."""

    search_help_text = "Cari dengan NIK atau No. KK (16 digit, persis) atau sebagian nama."

    def get_list_display(self, request):
        if request.user.has_perm(FULL_NIK):
            return self.list_display
        return [("nik_masked" if f == "nik" else f) for f in self.list_display]

    def get_search_results(self, request, queryset, search_term):
        return resident_search(queryset, search_term, via="resident__"), False

    @admin.display(description="nama", ordering="resident__full_name")
    def name(self, obj):
        return obj.resident.full_name

    @admin.display(description="NIK")
    def nik(self, obj):
        return obj.resident.nik

    @admin.display(description="NIK")
    def nik_masked(self, obj):
        return mask_number(obj.resident.nik)

    @admin.display(description="kelurahan", ordering="resident__village__name")
    def village(self, obj):
        return obj.resident.village
