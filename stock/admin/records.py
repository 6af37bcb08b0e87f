"""Signed records: destruction records (berita acara) and daily closings (stok opname)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from dukcapil.formats import grouped
from stock import forms as stock_forms
from stock.admin.base import (
    approve_each,
    changelist_url,
    service_form_view,
)
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
        from django.db.models import Count

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
        if not self.has_add_permission(request):
            raise PermissionDenied

        def perform(data):
            record = destruction_create(
                serials=data["serials"],
                destroyed_on=data["destroyed_on"],
                witnesses=data["witnesses"],
                actor=request.user,
                method=data["method"],
                place=data["place"],
                returned_old_cards=data["returned_old_cards"],
                note=data["note"],
            )
            return f"{record} dicatat; menunggu persetujuan Kepala Seksi."

        return service_form_view(
            self,
            request,
            title="Buat berita acara pemusnahan",
            form_class=stock_forms.DestructionForm,
            perform=perform,
            submit_label="Simpan berita acara",
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
        if not self.has_add_permission(request):
            raise PermissionDenied

        def perform(data):
            closing = dailyclosing_create(
                location=data["location"],
                day=data["day"],
                physical_count=data["physical_count"],
                actor=request.user,
                note=data["note"],
            )
            return (
                f"Tutup harian {closing} dicatat: stok akhir buku {grouped(closing.closing)}, "
                f"selisih {signed(closing.difference)}."
            )

        return service_form_view(
            self,
            request,
            title="Tutup harian (stok opname)",
            form_class=stock_forms.ClosingForm,
            perform=perform,
            submit_label="Tutup hari",
            success_url=changelist_url(DailyClosing),
        )
