"""The append-only ledger: read-only list, filters and the spreadsheet exports."""

from django.contrib import admin
from django.urls import path
from django.utils import timezone

from dukcapil.admin_mixins import ReadOnlyAdminMixin
from dukcapil.days import parse_month
from dukcapil.exports import admin_export, spreadsheet_response
from dukcapil.paginators import LargeTablePaginator
from stock.models import (
    Movement,
)
from stock.selectors import (
    USAGE_HEADERS,
    usage_report_rows,
)


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "at",
        "kind",
        "blank",
        "from_location",
        "from_status",
        "to_location",
        "to_status",
        "actor",
        "reference",
        "note",
    ]
    list_filter = ["kind", "at", "to_location", "from_location"]
    list_select_related = ["blank", "from_location", "to_location", "actor"]
    search_fields = ["blank__serial"]
    search_help_text = "Cari dengan nomor seri lengkap (persis)."
    paginator = LargeTablePaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    change_list_template = "admin/stock/movement/change_list.html"
    list_per_page = 100

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip().upper()
        return (queryset.filter(blank__serial__in=term.split()) if term else queryset), False

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("stock.export_movement")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("ekspor/<str:fmt>/", view(self.export_view), name="stock_movement_export"),
            path("laporan/<str:fmt>/", view(self.usage_view), name="stock_movement_usage"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export": self.has_export_permission(request),
            "this_month": timezone.localdate().strftime("%Y-%m"),
        }
        return super().changelist_view(request, extra_context)

    @admin_export()
    def export_view(self, request, fmt):
        queryset = self.get_changelist_instance(request).get_queryset(request)
        rows = (
            [
                m.at,  # the writers show it in WITA
                m.get_kind_display(),
                m.blank.serial,
                m.from_location.name if m.from_location else "",
                m.get_from_status_display(),
                m.to_location.name,
                m.get_to_status_display(),
                m.actor.get_username(),
                m.reference,
                m.note,
            ]
            for m in queryset.iterator(chunk_size=2000)
        )
        headers = [
            "Waktu",
            "Jenis",
            "Nomor seri",
            "Dari lokasi",
            "Dari status",
            "Ke lokasi",
            "Ke status",
            "Petugas",
            "Referensi",
            "Catatan",
        ]
        return spreadsheet_response(
            request=request,
            report="Buku besar blanko",
            fmt=fmt,
            name="buku-besar-blanko",
            headers=headers,
            rows=rows,
        )

    @admin_export()
    def usage_view(self, request, fmt):
        try:
            month = parse_month(request.GET.get("bulan", ""))
        except ValueError:
            month = timezone.localdate().replace(day=1)
        rows = usage_report_rows(year=month.year, month=month.month)
        return spreadsheet_response(
            request=request,
            report=f"Laporan penggunaan blanko {month:%m/%Y}",
            fmt=fmt,
            name=f"laporan-penggunaan-blanko-{month:%Y-%m}",
            headers=USAGE_HEADERS,
            rows=rows,
        )
