"""Signed records: destruction records (berita acara) and daily closings (stok opname)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from dukcapil.admin_services import ServiceForm
from dukcapil.formats import grouped
from stock import forms as stock_forms
from stock.admin.base import approve_each, changelist_url
from stock.models import (
    DailyClosing,
    Destruction,
)
from stock.providers import old_cards_awaiting_destruction
from stock.services import (
    dailyclosing_approve,
    dailyclosing_create,
    destruction_approve,
    destruction_create,
)
from stock.services.ledger import signed

DESTRUCTION_PAGE = ServiceForm(
    permission="stock.add_destruction",
    title="Buat berita acara pemusnahan",
    form_class=stock_forms.DestructionForm,
    service=destruction_create,
    message=lambda record, _: f"{record} dicatat; menunggu persetujuan Kepala Seksi.",
    submit_label="Simpan berita acara",
)
CLOSING_PAGE = ServiceForm(
    permission="stock.add_dailyclosing",
    title="Tutup harian (stok opname)",
    form_class=stock_forms.ClosingForm,
    service=dailyclosing_create,
    message=lambda closing, _: (
        f"Tutup harian {closing} dicatat: stok akhir buku {grouped(closing.closing)}, "
        f"selisih {signed(closing.difference)}."
    ),
    submit_label="Tutup hari",
)


@admin.register(Destruction)
class DestructionAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "destroyed_on",
        "method",
        "blank_count",
        "returned_old_cards",
        "created_by",
        "approved_by",
        "print_link",
    ]
    list_filter = ["destroyed_on", ("approved_by", admin.EmptyFieldListFilter)]
    readonly_fields = [f.name for f in Destruction._meta.fields]
    actions = ["approve_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_blanks=Count("blanks"))

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_approve_permission(self, request) -> bool:
        return request.user.has_perm("stock.approve_destruction")

    @admin.display(description="blanko rusak", ordering="n_blanks")
    def blank_count(self, obj):
        return obj.n_blanks

    @admin.display(description="cetak")
    def print_link(self, obj):
        url = reverse("admin:stock_destruction_print", args=[obj.pk])
        return format_html('<a href="{}" target="_blank">Cetak berita acara</a>', url)

    @admin.action(description="Setujui berita acara terpilih", permissions=["approve"])
    def approve_selected(self, request, queryset):
        approve_each(self, request, queryset, destruction_approve, "destruction")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/cetak/", view(self.print_view), name="stock_destruction_print"),
            *super().get_urls(),
        ]

    def print_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        destruction = get_object_or_404(Destruction, pk=pk)
        blanks = destruction.blanks.select_related("location").order_by("serial")
        context = {"destruction": destruction, "blanks": blanks}
        return TemplateResponse(request, "stock/destruction_print.html", context)

    def add_view(self, request, form_url="", extra_context=None):
        return DESTRUCTION_PAGE.view(
            self,
            request,
            success_url=changelist_url(Destruction),
            initial={
                "serials": request.GET.get("serials", ""),
                "returned_old_cards": old_cards_awaiting_destruction(),
            },
        )


@admin.register(DailyClosing)
class DailyClosingAdmin(admin.ModelAdmin):
    list_display = [
        "day",
        "location",
        "opening",
        "received",
        "transferred_in",
        "transferred_out",
        "used",
        "spoiled",
        "adjusted",
        "closing",
        "physical_count",
        "difference_marked",
        "approved_by",
    ]
    list_filter = ["location", "day", ("approved_by", admin.EmptyFieldListFilter)]
    list_select_related = ["location", "approved_by"]
    readonly_fields = [f.name for f in DailyClosing._meta.fields]
    date_hierarchy = "day"
    actions = ["approve_selected"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_approve_permission(self, request) -> bool:
        return request.user.has_perm("stock.approve_dailyclosing")

    @admin.display(description="selisih", ordering="difference")
    def difference_marked(self, obj):
        if not obj.difference:
            return "0"
        # format_html escapes its arguments to strings first: sign the number before.
        return format_html(
            '<strong class="selisih" style="color:#ba2121">{}</strong>', signed(obj.difference)
        )

    @admin.action(description="Setujui tutup harian terpilih", permissions=["approve"])
    def approve_selected(self, request, queryset):
        approve_each(self, request, queryset, dailyclosing_approve, "closing")

    def add_view(self, request, form_url="", extra_context=None):
        return CLOSING_PAGE.view(self, request, success_url=changelist_url(DailyClosing))
