import datetime as dt

import pytest
from django.utils import timezone

from stock.models import Location, LocationKind
from stock.serials import serials_parse
from stock.services import receipt_create


@pytest.fixture
def store(db):
    return Location.objects.create(kind=LocationKind.STORE, name="Gudang Dukcapil")


@pytest.fixture
def printer(db):
    return Location.objects.create(kind=LocationKind.PRINTER, name="Mesin Cetak 1")


@pytest.fixture
def keeper(make_user):
    return make_user("Pengelola Blanko")


@pytest.fixture
def receive(store, keeper):
    """Receive blanks into the store room: receive("KTP0001-KTP0010")."""

    def make(serials="KTP0001-KTP0010", *, location=None, on: dt.date | None = None):
        return receipt_create(
            received_on=on or timezone.localdate(),
            source="apbn",
            reference="BAST-001/2020",
            quantity=len(serials_parse(serials)),
            serials=serials,
            location=location or store,
            actor=keeper,
            unit_cost=13_333,
        )

    return make
