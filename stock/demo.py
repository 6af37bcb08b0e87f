"""The blank stock of the demo: locations, budget, and the ledger of the campaign so far.

seed_demo tells a ``StockHistory`` what happened in the order it happened (receipts,
transfers, prints, spoilage, a destruction), each at its own moment; ``write`` then stores the
receipts, the blanks as they stand now and one ledger row per change, in time order, exactly
as the services would have written them on those days (``stock_verify`` proves it).
"""

import datetime as dt
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from dukcapil.bulk import insert_rows
from stock.models import (
    Blank,
    BlankStatus,
    BudgetLine,
    Destruction,
    Location,
    LocationKind,
    Movement,
    MovementKind,
    Receipt,
    Source,
    SpoilReason,
)
from stock.serials import serials_parse

STORE = "Gudang Blanko Dukcapil"
PRINTERS = ["Mesin Cetak 1", "Mesin Cetak 2", "Mesin Cetak 3"]
CENTRAL_SERIALS = "KTP0001000–KTP0004999"  # the 4,000 blanks the office held
CITY_SERIALS = "KTP0005000–KTP0007999"  # the first delivery bought from the city's budget
PER_STATION = 300  # blanks a station is topped up with
REFILL_BELOW = 40
WITNESSES = "Yakobus Tallo — Sekretaris Dinas\nImelda Foenay — Inspektorat Kota Kupang"


@dataclass
class _Blank:
    serial: str
    receipt: int  # index into StockHistory.receipts
    location: Location
    status: str = BlankStatus.IN_STOCK
    spoil_reason: str = ""
    destroyed: bool = False


@dataclass
class StockHistory:
    """What happened to the blanks, told in time order; nothing is stored before ``write``."""

    store: Location
    printers: list[Location]
    keeper: AbstractBaseUser
    receipts: list[dict] = field(default_factory=list)
    blanks: dict[str, _Blank] = field(default_factory=dict)
    shelves: dict[int, deque] = field(default_factory=dict)  # location id → serials in stock
    movements: list[tuple[dt.datetime, dict, object]] = field(default_factory=list)
    destruction: dict | None = None
    destruction_id: int | None = None
    blank_ids: dict[str, int] = field(default_factory=dict)

    def receive(self, *, at: dt.datetime, source: str, reference: str, serials: str, **extra):
        parsed = serials_parse(serials)
        self.receipts.append(
            {
                "received_on": at.date(),
                "source": source,
                "reference": reference,
                "quantity": len(parsed),
                "serial_first": parsed[0],
                "serial_last": parsed[-1],
                "is_range": True,
                "location_id": self.store.pk,
                "received_by_id": self.keeper.pk,
                "created_at": at,
                **extra,
            }
        )
        for serial in parsed:
            self.blanks[serial] = _Blank(serial, len(self.receipts) - 1, self.store)
            self._move(
                serial,
                at,
                MovementKind.RECEIVE,
                self.store,
                BlankStatus.IN_STOCK,
                self.keeper,
                f"BAST {reference}",
            )
        self._shelf(self.store).extend(parsed)

    def transfer(self, *, at: dt.datetime, to: Location, count: int, reference: str) -> None:
        shelf = self._shelf(self.store)
        for _ in range(min(count, len(shelf))):
            serial = shelf.popleft()
            self._move(
                serial, at, MovementKind.TRANSFER, to, BlankStatus.IN_STOCK, self.keeper, reference
            )
            self.blanks[serial].location = to
            self._shelf(to).append(serial)

    def take(
        self,
        *,
        at: dt.datetime,
        station: Location,
        actor_id: int,
        reference: object,
        spoil_reason: str = "",
    ) -> str:
        """The next blank at ``station`` used for a card, or spoiled by a failed print."""
        if len(self._shelf(station)) < REFILL_BELOW:
            self.transfer(
                at=at - dt.timedelta(minutes=30),
                to=station,
                count=PER_STATION,
                reference=f"Pengisian {station}",
            )
        serial = self._shelf(station).popleft()
        kind, status = (
            (MovementKind.SPOIL, BlankStatus.SPOILED)
            if spoil_reason
            else (MovementKind.USE, BlankStatus.USED)
        )
        note = SpoilReason(spoil_reason).label if spoil_reason else ""
        self._move(serial, at, kind, station, status, actor_id, reference, note)
        self.blanks[serial].spoil_reason = spoil_reason
        return serial

    def destroy(self, *, at: dt.datetime, approver: AbstractBaseUser) -> int:
        """Burn every blank spoiled so far, before two witnesses; signed the next morning."""
        spoiled = [b for b in self.blanks.values() if b.status == BlankStatus.SPOILED]
        for blank in spoiled:
            self._move(
                blank.serial,
                at,
                MovementKind.DESTROY,
                blank.location,
                BlankStatus.DESTROYED,
                self.keeper,
                "destruction",
            )
            blank.destroyed = True
        self.destruction = {
            "destroyed_on": at.date(),
            "place": "Halaman Kantor Dinas Dukcapil Kota Kupang",
            "witnesses": WITNESSES,
            "created_by_id": self.keeper.pk,
            "created_at": at,
            "approved_by_id": approver.pk,
            "approved_at": at + dt.timedelta(hours=18),
        }
        return len(spoiled)

    def write_blanks(self) -> dict[str, int]:
        """Store the receipts, the destruction record and the blanks as they stand now;
        returns the blank id of each serial."""
        receipt_ids = insert_rows(Receipt, self.receipts)
        if self.destruction:
            self.destruction_id = insert_rows(Destruction, [self.destruction])[0]
        destruction_id = self.destruction_id
        serials = list(self.blanks)
        ids = insert_rows(
            Blank, [self._row(self.blanks[s], receipt_ids, destruction_id) for s in serials]
        )
        self.blank_ids = dict(zip(serials, ids, strict=True))
        return self.blank_ids

    def write_ledger(self, references: Callable[[object], str]) -> None:
        """One ledger row per change, in time order; ``references`` turns what ``take`` was
        given into the text the ledger shows (an application number)."""
        rows = []
        # Stable sort: one blank's entries stay in the order they happened, so its latest
        # ledger row (by id) says where it is now.
        for _at, row, reference in sorted(self.movements, key=lambda m: m[0]):
            if reference == "destruction":
                text = f"Berita acara pemusnahan no. {self.destruction_id}"
            else:
                text = reference if isinstance(reference, str) else references(reference)
            serial = row["serial"]
            rows.append({**row, "blank_id": self.blank_ids[serial], "reference": text})
            del rows[-1]["serial"]
        insert_rows(Movement, rows)

    def in_stock(self, location: Location) -> int:
        return len(self._shelf(location))

    def _shelf(self, location: Location) -> deque:
        return self.shelves.setdefault(location.pk, deque())

    def _move(self, serial, at, kind, to, status, actor, reference, note="") -> None:
        blank = self.blanks[serial]
        self.movements.append(
            (
                at,
                {
                    "kind": kind,
                    "serial": serial,
                    "from_location_id": None if kind == MovementKind.RECEIVE else blank.location.pk,
                    "from_status": "" if kind == MovementKind.RECEIVE else blank.status,
                    "to_location_id": to.pk,
                    "to_status": status,
                    "actor_id": getattr(actor, "pk", actor),
                    "at": at,
                    "note": note,
                },
                reference,
            )
        )
        blank.status = status

    @staticmethod
    def _row(blank: _Blank, receipt_ids: list[int], destruction_id: int | None) -> dict:
        return {
            "serial": blank.serial,
            "receipt_id": receipt_ids[blank.receipt],
            "location_id": blank.location.pk,
            "status": blank.status,
            "spoil_reason": blank.spoil_reason,
            "destruction_id": destruction_id if blank.destroyed else None,
        }


def locations_load(year: int) -> tuple[Location, list[Location], BudgetLine]:
    """The store room, three printer stations and the city's budget line for blanks."""
    store, _ = Location.objects.get_or_create(name=STORE, defaults={"kind": LocationKind.STORE})
    printers = [
        Location.objects.get_or_create(name=name, defaults={"kind": LocationKind.PRINTER})[0]
        for name in PRINTERS
    ]
    line, _ = BudgetLine.objects.get_or_create(
        year=year,
        source=Source.CITY,
        name="Pengadaan blanko KTP-el Kota Kupang",
        defaults={"amount": 200_000_000, "planned_quantity": 15_000},
    )
    return store, printers, line


@transaction.atomic
def stock_history_start(
    *, start: dt.datetime, city_delivery: dt.datetime, keeper: AbstractBaseUser
) -> StockHistory:
    """The campaign's blanks: the central allocation of 4,000 on the first day, 300 of them
    moved to each station, and the city's first purchase delivered on ``city_delivery``.
    Ledger entries later than the city delivery come from the caller, in time order."""
    store, printers, line = locations_load(start.year)
    history = StockHistory(store=store, printers=printers, keeper=keeper)
    year = start.year
    history.receive(
        at=start,
        source=Source.CENTRAL,
        reference=f"BAST/DUKCAPIL-PUSAT/{year}/001",
        serials=CENTRAL_SERIALS,
    )
    for printer in printers:
        history.transfer(
            at=start + dt.timedelta(minutes=45),
            to=printer,
            count=PER_STATION,
            reference="Distribusi awal ke mesin cetak",
        )
    history.receive(
        at=city_delivery,
        source=Source.CITY,
        reference=f"BAST/DUKCAPIL-KPG/{year}/014",
        serials=CITY_SERIALS,
        unit_cost=line.unit_price,
        budget_line_id=line.pk,
    )
    return history
