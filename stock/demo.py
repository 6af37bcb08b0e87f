"""The Kupang blank situation at the start of the campaign (DESIGN.md §1), for seed_demo."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from stock.models import BudgetLine, Location, LocationKind, Receipt, Source
from stock.services import receipt_create

CAMPAIGN_START = dt.date(2020, 1, 27)
STORE = "Gudang Blanko Dukcapil"
PRINTERS = ["Mesin Cetak 1", "Mesin Cetak 2", "Mesin Cetak 3"]
CENTRAL_RECEIPT = "BAST/DUKCAPIL-PUSAT/2020/001"
CENTRAL_SERIALS = "KTP0001000–KTP0004999"  # the 4,000 blanks the office held
SYSTEM_USERNAME = "sistem"


@transaction.atomic
def seed_stock(*, actor: AbstractBaseUser | None = None) -> int:
    """Create the store room, three printer stations, the city's budget line and the central
    allocation of 4,000 blanks. Safe to run twice; returns the number of blanks added."""
    store, _ = Location.objects.get_or_create(name=STORE, defaults={"kind": LocationKind.STORE})
    for name in PRINTERS:
        Location.objects.get_or_create(name=name, defaults={"kind": LocationKind.PRINTER})
    BudgetLine.objects.get_or_create(
        year=2020,
        source=Source.CITY,
        name="Pengadaan blanko KTP-el Kota Kupang",
        defaults={"amount": 200_000_000, "planned_quantity": 15_000},
    )
    if Receipt.objects.filter(reference=CENTRAL_RECEIPT).exists():
        return 0
    receipt = receipt_create(
        received_on=CAMPAIGN_START,
        source=Source.CENTRAL,
        reference=CENTRAL_RECEIPT,
        serials=CENTRAL_SERIALS,
        location=store,
        actor=actor or _system_user(),
    )
    return receipt.quantity


def _system_user() -> AbstractBaseUser:
    # Demo data must be attributable to someone; an inactive account that cannot log in.
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
