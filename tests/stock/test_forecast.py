import pytest

from stock.models import BudgetLine
from stock.selectors import budget_lines_with_spend, stock_forecast
from stock.services import blank_consume, blank_spoil, receipt_create

pytestmark = pytest.mark.django_db


def test_forecast_arithmetic(receive, store, keeper):
    receive("KTP0001-KTP0100")
    for n in range(1, 20):  # 19 printed, 1 spoiled: a 5% spoilage rate
        blank_consume(serial=f"KTP{n:04d}", location=store, actor=keeper, reference=f"A{n}")
    blank_spoil(
        serial="KTP0020", location=store, reason="gagal_cetak", actor=keeper, note="Kotak basah"
    )

    forecast = stock_forecast(remaining_cards=190, window_days=7)
    assert forecast.in_stock == 80
    assert forecast.daily_use == pytest.approx(20 / 7)
    assert forecast.days_left == pytest.approx(80 / (20 / 7))
    assert forecast.spoilage_rate == pytest.approx(0.05)
    assert forecast.blanks_needed == 200  # 190 / 0.95
    assert forecast.shortfall == 120


def test_forecast_without_use_has_no_days_left():
    forecast = stock_forecast(remaining_cards=10)
    assert forecast.days_left is None and forecast.shortfall == 10


def test_budget_line_unit_price_and_spend(store, keeper):
    from django.utils import timezone

    line = BudgetLine.objects.create(
        year=2020, source="apbd", name="Blanko APBD", amount=200_000_000, planned_quantity=15_000
    )
    assert line.unit_price == 13_333
    receipt_create(
        received_on=timezone.localdate(),
        source="apbd",
        reference="BAST-9",
        serials="B0001-B0300",
        location=store,
        actor=keeper,
        unit_cost=13_333,
        budget_line=line,
    )
    line = budget_lines_with_spend().get()
    assert line.spent == 300 * 13_333 and line.received == 300
