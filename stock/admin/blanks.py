"""Receipts and blanks: the store room's daily work, each form calling one service."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from dukcapil.admin_mixins import ReadOnlyAdminMixin, SpreadsheetImportMixin
from dukcapil.admin_services import ServiceForm
from dukcapil.formats import grouped
from dukcapil.paginators import LargeTablePaginator
from stock import forms as stock_forms
from stock.admin.base import changelist_url, rupiah
from stock.models import (
    Blank,
    Location,
    Receipt,
)
from stock.resources import ReceiptSerialsResource
from stock.services import (
    blanks_spoil,
    blanks_transfer,
    receipt_create,
    receipt_void,
    stock_adjust,
)

# Selected blanks travel to the form page in its URL; bigger batches are typed as a range.
_ACTION_SERIALS_LIMIT = 500

RECEIPT_PAGE = ServiceForm(
    permission="stock.add_receipt",
    title="Catat penerimaan blanko",
    form_class=stock_forms.ReceiptForm,
    service=receipt_create,
    message=lambda receipt, _: (
        f"Penerimaan {receipt.reference} dicatat: {grouped(receipt.quantity)} blanko."
    ),
    submit_label="Simpan penerimaan",
)
TRANSFER_PAGE = ServiceForm(
    permission="stock.transfer_blank",
    title="Pindahkan blanko",
    form_class=stock_forms.TransferForm,
    service=blanks_transfer,
    message=lambda moved, data: f"{grouped(moved)} blanko dipindahkan ke {data['to_location']}.",
    submit_label="Pindahkan",
)
SPOIL_PAGE = ServiceForm(
    permission="stock.spoil_blank",
    title="Catat blanko rusak",
    form_class=stock_forms.SpoilForm,
    service=blanks_spoil,
    message=lambda spoiled, _: f"{grouped(len(spoiled))} blanko dicatat rusak.",
    submit_label="Catat rusak",
    subject="location",
)
ADJUST_PAGE = ServiceForm(
    permission="stock.adjust_stock",
    title="Koreksi stok blanko",
    form_class=stock_forms.AdjustForm,
    service=stock_adjust,
    message=lambda blank, _: f"Koreksi blanko {blank.serial} dicatat.",
    submit_label="Catat koreksi",
)


class ReceiptBlanksInline(admin.TabularInline):
    model = Blank
    fields = ["serial", "location", "status"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        # A receipt may hold 100,000 blanks: show the first ones only.
        queryset = super().get_queryset(request).select_related("location").order_by("serial")
        ids = list(queryset.values_list("pk", flat=True)[:50])
        return queryset.filter(pk__in=ids)


@admin.register(Receipt)
class ReceiptAdmin(SpreadsheetImportMixin, admin.ModelAdmin):
    list_display = [
        "received_on",
        "reference",
        "source",
        "quantity",
        "serials_display",
        "location",
        "unit_cost_rp",
        "budget_line",
        "received_by",
        "voided",
    ]
    list_filter = [
        "source",
        "location",
        "budget_line",
        "received_on",
        ("voided_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["location", "budget_line", "received_by"]
    search_fields = ["reference", "serial_first"]
    date_hierarchy = "received_on"
    inlines = [ReceiptBlanksInline]
    resource_classes = [ReceiptSerialsResource]
    import_form_class = stock_forms.ReceiptImportForm
    confirm_form_class = stock_forms.ReceiptConfirmImportForm
    import_template_name = "admin/stock/receipt/import.html"

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a receipt is a record; corrections are adjustments

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_void_permission(self, request) -> bool:
        return request.user.has_perm("stock.void_receipt")

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        return [*columns, "void_link"] if self.has_void_permission(request) else columns

    @admin.display(description="harga satuan")
    def unit_cost_rp(self, obj):
        return rupiah(obj.unit_cost)

    @admin.display(description="dibatalkan", boolean=True, ordering="voided_at")
    def voided(self, obj):
        return obj.is_voided

    @admin.display(description="batalkan")
    def void_link(self, obj):
        if obj.is_voided:
            return "—"
        url = reverse("admin:stock_receipt_void", args=[obj.pk])
        return format_html('<a href="{}">Batalkan…</a>', url)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/batalkan/", view(self.void_view), name="stock_receipt_void"),
            *super().get_urls(),
        ]

    def void_view(self, request, pk):
        receipt = get_object_or_404(Receipt.objects.select_related("location"), pk=pk)
        if receipt.is_voided and request.method != "POST" and self.has_void_permission(request):
            self.message_user(request, f"Penerimaan {receipt.reference} sudah dibatalkan.")
            return HttpResponseRedirect(changelist_url(Receipt))
        quantity = grouped(receipt.quantity)
        page = ServiceForm(
            permission="stock.void_receipt",
            title=f"Batalkan penerimaan {receipt.reference}",
            form_class=stock_forms.ReceiptVoidForm,
            service=receipt_void,
            message=lambda _, data: (
                f"Penerimaan {receipt.reference} dibatalkan: {quantity} blanko keluar dari stok."
            ),
            submit_label=f"Batalkan penerimaan dan keluarkan {quantity} blanko",
        )
        return page.view(
            self,
            request,
            receipt=receipt,
            success_url=changelist_url(Receipt),
            intro=(
                f"Penerimaan {receipt.reference} tanggal {receipt.received_on:%d-%m-%Y} "
                f"({receipt.serials_display}) mencatat {quantity} blanko di "
                f"{receipt.location}. Bila dibatalkan, {quantity} blanko itu "
                "keluar dari stok (berstatus Dibatalkan) dan buku besar mencatat pembatalan "
                "beserta alasannya; catatan penerimaan tetap ada. Hanya dapat dilakukan selama "
                "belum ada satu pun blankonya yang dipindah, dipakai atau dicatat rusak, dan "
                "tidak dapat diurungkan. Nomor seri yang benar dapat dicatat ulang sesudahnya."
            ),
        )

    @admin.display(description="nomor seri")
    def serials_display(self, obj):
        return obj.serials_display

    # Serial-list import (django-import-export): recording a receipt, so the add permission.

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request)

    def get_import_data_kwargs(self, request, *args, **kwargs):
        form = kwargs.get("form")
        return {"receipt": form.receipt_details()} if form else {}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            details = import_form.receipt_details()
            initial |= details | {
                "location": details["location"].pk,
                "budget_line": details["budget_line"].pk if details["budget_line"] else "",
            }
        return initial

    def process_result(self, result, request):
        receipt = result.receipt
        self.message_user(
            request,
            f"Penerimaan {receipt.reference} dicatat: {grouped(receipt.quantity)} blanko.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(changelist_url(Receipt))

    def add_view(self, request, form_url="", extra_context=None):
        return RECEIPT_PAGE.view(self, request, success_url=changelist_url(Receipt))


class StatusLocationFilter(admin.SimpleListFilter):
    """Location filter without scanning the blanks table for facets."""

    title = "lokasi"
    parameter_name = "lokasi"

    def lookups(self, request, model_admin):
        return list(Location.objects.values_list("pk", "name"))

    def queryset(self, request, queryset):
        return queryset.filter(location_id=self.value()) if self.value() else queryset


@admin.register(Blank)
class BlankAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["serial", "status", "location", "spoil_reason", "receipt"]
    list_filter = ["status", StatusLocationFilter, "spoil_reason"]
    list_select_related = ["location", "receipt"]
    search_fields = ["serial"]
    search_help_text = "Cari dengan nomor seri lengkap (persis)."
    paginator = LargeTablePaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    change_list_template = "admin/stock/blank/change_list.html"
    actions = ["transfer_selected", "spoil_selected", "destroy_selected"]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip().upper()
        # Exact serials only: a partial search over 100,000s of blanks helps no one.
        return (queryset.filter(serial__in=term.split()) if term else queryset), False

    def has_transfer_permission(self, request) -> bool:
        return request.user.has_perm("stock.transfer_blank")

    def has_spoil_permission(self, request) -> bool:
        return request.user.has_perm("stock.spoil_blank")

    def has_destroy_permission(self, request) -> bool:
        return request.user.has_perm("stock.add_destruction")

    def _redirect_with_serials(self, request, queryset, url_name):
        serials = list(queryset.values_list("serial", flat=True)[: _ACTION_SERIALS_LIMIT + 1])
        if len(serials) > _ACTION_SERIALS_LIMIT:
            self.message_user(
                request,
                f"Terlalu banyak blanko dipilih; gunakan rentang nomor seri di halaman "
                f"(paling banyak {_ACTION_SERIALS_LIMIT} lewat pilihan).",
                messages.ERROR,
            )
            return None
        url = reverse(url_name)
        return HttpResponseRedirect(f"{url}?serials={','.join(serials)}")

    @admin.action(description="Pindahkan blanko terpilih…", permissions=["transfer"])
    def transfer_selected(self, request, queryset):
        return self._redirect_with_serials(request, queryset, "admin:stock_blank_transfer")

    @admin.action(description="Catat blanko terpilih rusak…", permissions=["spoil"])
    def spoil_selected(self, request, queryset):
        return self._redirect_with_serials(request, queryset, "admin:stock_blank_spoil")

    @admin.action(description="Musnahkan blanko rusak terpilih…", permissions=["destroy"])
    def destroy_selected(self, request, queryset):
        return self._redirect_with_serials(request, queryset, "admin:stock_destruction_add")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("pindah/", view(self.transfer_view), name="stock_blank_transfer"),
            path("rusak/", view(self.spoil_view), name="stock_blank_spoil"),
            path("koreksi/", view(self.adjust_view), name="stock_blank_adjust"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        user = request.user
        extra_context = {
            **(extra_context or {}),
            "can_transfer": user.has_perm("stock.transfer_blank"),
            "can_spoil": user.has_perm("stock.spoil_blank"),
            "can_adjust": user.has_perm("stock.adjust_stock"),
        }
        return super().changelist_view(request, extra_context)

    def transfer_view(self, request):
        return TRANSFER_PAGE.view(
            self,
            request,
            success_url=changelist_url(Location),
            initial={"serials": request.GET.get("serials", "")},
        )

    def spoil_view(self, request):
        return SPOIL_PAGE.view(
            self,
            request,
            success_url=changelist_url(Blank),
            initial={"serials": request.GET.get("serials", "")},
        )

    def adjust_view(self, request):
        return ADJUST_PAGE.view(self, request, success_url=changelist_url(Blank))
