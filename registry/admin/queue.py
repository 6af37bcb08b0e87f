"""The collection queue: printed cards waiting for their owners, oldest first."""

import datetime as dt

from django.contrib import admin
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from dukcapil.admin_mixins import ReadOnlyAdminMixin
from dukcapil.exports import admin_export, spreadsheet_response
from dukcapil.paginators import LargeListMixin
from dukcapil.privacy import mask_number
from registry.admin.columns import ApplicantColumnsMixin
from registry.models import CollectionQueueEntry
from registry.selectors.applications import collection_queue

ANNOUNCEMENT_HEADERS = ["NIK", "NAMA", "KELURAHAN", "KECAMATAN", "TERCETAK SEJAK"]


class WaitingFilter(admin.SimpleListFilter):
    title = "lama menunggu"
    parameter_name = "menunggu"
    DAYS = {"7": 7, "30": 30, "90": 90}

    def lookups(self, request, model_admin):
        return [(key, f"Lebih dari {days} hari") for key, days in self.DAYS.items()]

    def queryset(self, request, queryset):
        days = self.DAYS.get(self.value())
        if days is None:
            return queryset
        return queryset.filter(waiting_since__lt=timezone.now() - dt.timedelta(days=days))


@admin.register(CollectionQueueEntry)
class CollectionQueueAdmin(
    ReadOnlyAdminMixin, ApplicantColumnsMixin, LargeListMixin, admin.ModelAdmin
):
    list_display = ["desk_link", "name", "nik", "village", "district", "waiting_since", "age"]
    list_display_links = None
    list_filter = [WaitingFilter, "resident__village__district", "resident__village"]
    search_fields = ["resident__full_name"]
    change_list_template = "admin/registry/collectionqueueentry/change_list.html"
    # Served by application_collection_idx, both ways.
    sortable_by = ["waiting_since", "age"]

    def get_queryset(self, request):
        return collection_queue()

    def get_ordering(self, request):
        # The resident who has waited longest comes first (not the model's newest first).
        return ["waiting_since", "id"]

    @admin.display(description="permohonan")
    def desk_link(self, obj):
        url = reverse("admin:registry_cardapplication_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.number)

    @admin.display(description="kecamatan")
    def district(self, obj):
        return obj.resident.village.district

    @admin.display(description="menunggu sejak", ordering="waiting_since")
    def waiting_since(self, obj):
        return timezone.localdate(obj.waiting_since)

    @admin.display(description="lama (hari)", ordering="-waiting_since")
    def age(self, obj):
        return (timezone.localdate() - timezone.localdate(obj.waiting_since)).days

    def get_urls(self):
        return [
            path(
                "pengumuman/<str:fmt>/",
                self.admin_site.admin_view(self.announcement_view),
                name="registry_collectionqueueentry_announcement",
            ),
            *super().get_urls(),
        ]

    @admin_export("view")
    def announcement_view(self, request, fmt):
        """The list for public announcement per kelurahan: NIK always masked."""
        queryset = self.get_changelist_instance(request).get_queryset(request)
        rows = (
            [
                mask_number(entry.resident.nik),
                entry.resident.full_name,
                entry.resident.village.name,
                entry.resident.village.district.name,
                timezone.localdate(entry.waiting_since),
            ]
            for entry in queryset.iterator(chunk_size=2_000)
        )
        return spreadsheet_response(
            request=request,
            report="Pengumuman KTP-el siap diambil",
            fmt=fmt,
            name="siap-diambil",
            headers=ANNOUNCEMENT_HEADERS,
            rows=rows,
        )
