import pytest
from django.urls import reverse

from stock.models import BudgetLine
from stock.selectors import budget_lines_with_spend, stock_forecast
from stock.services import blank_consume, blank_spoil, receipt_create

pytestmark = pytest.mark.django_db


def test_forecast_arithmetic(receive, store, keeper, settings):
    settings.DUKCAPIL_FORECAST_MIN_PRINTS = 20
    receive("KTP0001-KTP0100")
    for n in range(1, 20):  # 19 printed, 1 spoiled: a 5% spoilage rate
        blank_consume(serial=f"KTP{n:04d}", location=store, actor=keeper, reference=f"A{n}")
    blank_spoil(
        serial="KTP0020", location=store, reason="gagal_cetak", actor=keeper, note="Kotak basah"
    )

    forecast = stock_forecast(cards_to_print=190, window_days=7)
    assert forecast.in_stock == 80
    assert forecast.daily_use == pytest.approx(20 / 7)
    assert forecast.days_left == 28  # 80 / (20 / 7) = 28.0
    assert forecast.rate_observed and forecast.spoilage_rate == pytest.approx(0.05)
    assert forecast.blanks_needed == 200  # 190 / 0.95
    assert forecast.shortfall == 120


def test_a_small_sample_uses_the_documented_rate_and_whole_days(receive, store, keeper):
    receive("KTP0001-KTP0100")
    blank_consume(serial="KTP0001", location=store, actor=keeper, reference="A1")
    blank_consume(serial="KTP0002", location=store, actor=keeper, reference="A2")
    blank_spoil(serial="KTP0003", location=store, reason="gagal_cetak", actor=keeper, note="Basah")

    forecast = stock_forecast(cards_to_print=950, window_days=7)

    assert not forecast.rate_observed and forecast.prints == 3
    assert forecast.spoilage_rate == 0.05  # not 1 in 3
    assert forecast.blanks_needed == 1000
    assert forecast.days_left == 226  # 97 / (3 / 7) = 226.3: a part day does not count


def test_forecast_without_use_has_no_days_left():
    forecast = stock_forecast(cards_to_print=10)
    assert forecast.days_left is None and forecast.shortfall == 11  # 10 / 0.95


def test_the_budget_page_says_when_the_rate_is_the_documented_one(
    client, make_user, receive, store, keeper
):
    receive("KTP0001-KTP0010")
    blank_spoil(serial="KTP0003", location=store, reason="gagal_cetak", actor=keeper, note="Basah")
    client.force_login(make_user("Kepala Seksi"))
    page = client.get(reverse("admin:stock_budgetline_changelist")).content.decode()
    assert "angka umum 4–5%, dipakai 5%" in page and "kurang dari 200" in page
    assert "100%" not in page


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
        quantity=300,
        serials="B0001-B0300",
        location=store,
        actor=keeper,
        unit_cost=13_333,
        budget_line=line,
    )
    line = budget_lines_with_spend().get()
    assert line.spent == 300 * 13_333 and line.received == 300


def test_the_budget_list_shows_its_year_as_a_year(client, make_user):
    BudgetLine.objects.create(
        year=2020, source="apbd", name="Blanko APBD", amount=200_000_000, planned_quantity=15_000
    )
    client.force_login(make_user("Kepala Seksi"))
    page = client.get(reverse("admin:stock_budgetline_changelist")).content.decode()
    assert '<td class="field-budget_year">2020</td>' in page and "2.020" not in page
