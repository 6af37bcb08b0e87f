import pytest
from django.core.management import call_command

from stock.demo import seed_stock
from stock.models import Blank, BudgetLine, Location

pytestmark = pytest.mark.django_db


def test_the_demo_is_the_kupang_situation_and_can_run_twice():
    assert seed_stock() == 4000
    assert seed_stock() == 0
    assert Blank.objects.count() == 4000
    assert Location.objects.filter(kind="printer").count() == 3
    line = BudgetLine.objects.get()
    assert (line.amount, line.planned_quantity, line.unit_price) == (200_000_000, 15_000, 13_333)
    call_command("stock_verify")
