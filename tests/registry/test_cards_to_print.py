"""The stock forecast plans for the campaign's remaining cards, as the registry counts them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.models import ApplicationStatus, Campaign, CardApplication
from registry.selectors.applications import cards_still_to_print
from registry.services.siak_load import applications_load_from_siak
from stock.providers import cards_to_print
from tests.registry.factories import make_resident, nik_for

S = ApplicationStatus
pytestmark = pytest.mark.django_db


def test_it_counts_the_target_less_cards_printed_here_and_in_siak(apply, advance, stock_in):
    stock_in()
    Campaign.objects.all().delete()
    today = timezone.localdate()
    Campaign.objects.create(
        name="Percepatan", target=100, start=today, end=today + dt.timedelta(90)
    )
    make_resident(nik=nik_for(2), siak_record_status=8)
    applications_load_from_siak()  # printed in SIAK before this system
    advance(apply(make_resident(nik=nik_for(3))), S.ISSUED)
    advance(apply(make_resident(nik=nik_for(4))), S.PRINTED)
    advance(apply(make_resident(nik=nik_for(5))), S.RECORDED)
    assert CardApplication.objects.filter(status__in=[S.PRINTED, S.ISSUED]).count() == 3

    assert cards_still_to_print() == 97
    assert cards_to_print() == 97  # what the stock app is told, through registry.apps


def test_the_budget_page_plans_for_the_campaign_not_a_typed_number(client, staff):
    Campaign.objects.all().delete()
    today = timezone.localdate()
    Campaign.objects.create(
        name="Percepatan", target=950, start=today, end=today + dt.timedelta(90)
    )
    client.force_login(staff["supervisor"])
    response = client.get(reverse("admin:stock_budgetline_changelist"))
    forecast = response.context["forecast"]
    assert forecast.cards_to_print == 950 and forecast.blanks_needed == 1000
    assert 'name="sisa_target"' not in response.content.decode()


def test_without_a_campaign_the_page_says_so(client, staff):
    Campaign.objects.all().delete()
    client.force_login(staff["supervisor"])
    page = client.get(reverse("admin:stock_budgetline_changelist")).content.decode()
    assert "belum ada kampanye" in page
