"""The application desks: each role sees the applications of its step and acts on them."""

from django.contrib import admin
from django.utils import timezone

from dukcapil.paginators import LargeTablePaginator
from registry.admin.central_results import CentralResultsImportMixin
from registry.admin.desks import ApplicationDeskMixin
from registry.admin.residents import FULL_NIK, resident_search
from registry.models import CardApplication
from registry.nik import mask_number
from registry.selectors.applications import desk_statuses


@admin.register(CardApplication)
class CardApplicationAdmin(CentralResultsImportMixin, ApplicationDeskMixin, admin.ModelAdmin):
    paginator = LargeTablePaginator
    show_full_result_count = False
    list_per_page = 50
    list_display = ["number", "resident_name", "nik", "kind", "status", "village", "age"]
    list_display_links = ["number", "resident_name"]
    list_filter = ["status", "kind", "resident__village__district", "resident__village"]
    list_select_related = ["resident__village"]
    search_fields = ["resident__full_name"]
    search_help_text = "Cari dengan NIK atau No. KK (16 digit, persis) atau sebagian nama."
    ordering = ["submitted_at", "id"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(status__in=desk_statuses(request.user))

    def get_search_results(self, request, queryset, search_term):
        return resident_search(queryset, search_term, via="resident__"), False

    def has_add_permission(self, request) -> bool:
        return request.user.has_perm("registry.add_cardapplication")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="nomor", ordering="id")
    def number(self, obj):
        return obj.number

    @admin.display(description="nama", ordering="resident__full_name")
    def resident_name(self, obj):
        return obj.resident.full_name

    def get_list_display(self, request):
        if request.user.has_perm(FULL_NIK):
            return self.list_display
        return [("nik_masked" if f == "nik" else f) for f in self.list_display]

    @admin.display(description="NIK")
    def nik(self, obj):
        return obj.resident.nik

    @admin.display(description="NIK")
    def nik_masked(self, obj):
        return mask_number(obj.resident.nik)

    @admin.display(description="kelurahan", ordering="resident__village__name")
    def village(self, obj):
        return obj.resident.village

    @admin.display(description="umur (hari)", ordering="submitted_at")
    def age(self, obj):
        return (timezone.localdate() - timezone.localdate(obj.submitted_at)).days
