"""The application desks: each role sees the applications of its step and acts on them."""

from django.contrib import admin
from django.utils import timezone

from dukcapil.paginators import LargeListMixin
from registry.admin.central_results import CentralResultsImportMixin
from registry.admin.columns import ApplicantColumnsMixin
from registry.admin.desks import ApplicationDeskMixin
from registry.admin.documents import ApplicationDocumentsMixin
from registry.models import CardApplication
from registry.selectors.applications import desk_statuses


class LinkedValueFilter(admin.SimpleListFilter):
    """An exact value reached from a link on the broker indicators page; it offers no list of
    values of its own, which would publish every phone number or helper."""

    field = ""

    def lookups(self, request, model_admin):
        value = self.value()
        return [(value, value)] if value else []

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field: self.value()})
        return queryset


class PhoneFilter(LinkedValueFilter):
    title = "nomor telepon"
    parameter_name = field = "phone"


class HelperFilter(LinkedValueFilter):
    title = "pendamping"
    parameter_name = field = "helper_name"


@admin.register(CardApplication)
class CardApplicationAdmin(
    ApplicationDocumentsMixin,
    CentralResultsImportMixin,
    ApplicationDeskMixin,
    ApplicantColumnsMixin,
    LargeListMixin,
    admin.ModelAdmin,
):
    list_display = ["number", "name", "nik", "kind", "status", "village", "age"]
    list_display_links = ["number", "name"]
    list_filter = [
        "status",
        "kind",
        "resident__village__district",
        "resident__village",
        PhoneFilter,
        HelperFilter,
    ]
    list_select_related = ["resident__village"]
    search_fields = ["resident__full_name"]
    # Longest waiting first. Each desk's list is served by an index: application_status_sub_id_idx
    # for a desk of one status, application_recording_idx for the recording desk.
    ordering = ["submitted_at", "id"]
    # By number, name, kelurahan, kind or status would sort the desk's whole list: search or
    # filter instead.
    sortable_by = ["age"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(status__in=desk_statuses(request.user))

    # Applications change only through the desks' steps, and are never deleted.

    def has_add_permission(self, request) -> bool:
        return request.user.has_perm("registry.add_cardapplication")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="nomor")
    def number(self, obj):
        return obj.number

    @admin.display(description="umur (hari)", ordering="submitted_at")
    def age(self, obj):
        return (timezone.localdate() - timezone.localdate(obj.submitted_at)).days
