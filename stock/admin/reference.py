"""Reference data: locations (with their stock) and budget lines (with the forecast)."""

from django.contrib import admin

from stock.admin.base import (
    rupiah,
)
from stock.models import (
    BudgetLine,
    Location,
)
from stock.providers import cards_to_print
from stock.selectors import (
    budget_lines_with_spend,
    locations_with_stock,
    stock_forecast,
)


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "active", "in_stock", "used", "spoiled", "destroyed", "lost"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return locations_with_stock()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # blanks and the ledger point at locations; deactivate instead

    @admin.display(description="tersedia", ordering="n_in_stock")
    def in_stock(self, obj):
        return obj.n_in_stock

    @admin.display(description="terpakai", ordering="n_used")
    def used(self, obj):
        return obj.n_used

    @admin.display(description="rusak", ordering="n_spoiled")
    def spoiled(self, obj):
        return obj.n_spoiled

    @admin.display(description="dimusnahkan", ordering="n_destroyed")
    def destroyed(self, obj):
        return obj.n_destroyed

    @admin.display(description="hilang", ordering="n_lost")
    def lost(self, obj):
        return obj.n_lost


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "budget_year",
        "source",
        "amount_rp",
        "planned_quantity",
        "unit_price_rp",
        "received_quantity",
        "spent_rp",
    ]
    list_filter = ["year", "source"]
    change_list_template = "admin/stock/budgetline/change_list.html"

    def get_queryset(self, request):
        return budget_lines_with_spend()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="tahun anggaran", ordering="year")
    def budget_year(self, obj):
        return str(obj.year)  # a year, not a quantity: never "2.020"

    @admin.display(description="pagu")
    def amount_rp(self, obj):
        return rupiah(obj.amount)

    @admin.display(description="harga satuan rencana")
    def unit_price_rp(self, obj):
        return rupiah(obj.unit_price)

    @admin.display(description="diterima (keping)")
    def received_quantity(self, obj):
        return obj.received or 0

    @admin.display(description="terbelanja")
    def spent_rp(self, obj):
        return rupiah(obj.spent or 0)

    def changelist_view(self, request, extra_context=None):
        cards = cards_to_print()
        forecast = stock_forecast(cards_to_print=cards or 0)
        extra_context = {
            **(extra_context or {}),
            "forecast": forecast,
            "campaign_known": cards is not None,
        }
        return super().changelist_view(request, extra_context)
