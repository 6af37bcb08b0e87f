"""The Kupang blank situation at the start of the campaign (DESIGN.md §1), for seed_demo."""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from dukcapil.accounts import system_user
from stock.models import BudgetLine, Location, LocationKind, Receipt, Source
from stock.serials import serials_parse
from stock.services import blanks_transfer, receipt_create

CAMPAIGN_START = dt.date(2020, 1, 27)
STORE = "Gudang Blanko Dukcapil"
PRINTERS = ["Mesin Cetak 1", "Mesin Cetak 2", "Mesin Cetak 3"]
CENTRAL_RECEIPT = "BAST/DUKCAPIL-PUSAT/2020/001"
CENTRAL_SERIALS = "KTP0001000–KTP0004999"  # the 4,000 blanks the office held
PER_STATION = 300  # blanks each printer station starts with


@transaction.atomic
def seed_stock(*, actor: AbstractBaseUser | None = None) -> int:
    """Create the store room, three printer stations, the city's budget line and the central
    allocation of 4,000 blanks, 300 of them moved to each station. Safe to run twice;
    returns the number of blanks added."""
    store, _ = Location.objects.get_or_create(name=STORE, defaults={"kind": LocationKind.STORE})
    printers = [
        Location.objects.get_or_create(name=name, defaults={"kind": LocationKind.PRINTER})[0]
        for name in PRINTERS
    ]
    BudgetLine.objects.get_or_create(
        year=2020,
        source=Source.CITY,
        name="Pengadaan blanko KTP-el Kota Kupang",
        defaults={"amount": 200_000_000, "planned_quantity": 15_000},
    )
    if Receipt.objects.filter(reference=CENTRAL_RECEIPT).exists():
        return 0
    actor = actor or system_user()
    receipt = receipt_create(
        received_on=CAMPAIGN_START,
        source=Source.CENTRAL,
        reference=CENTRAL_RECEIPT,
        serials=CENTRAL_SERIALS,
        location=store,
        actor=actor,
    )
    serials = serials_parse(CENTRAL_SERIALS)
    for i, printer in enumerate(printers):
        blanks_transfer(
            serials=serials[i * PER_STATION : (i + 1) * PER_STATION],
            from_location=store,
            to_location=printer,
            actor=actor,
            reference="Distribusi awal ke mesin cetak",
        )
    return receipt.quantity
