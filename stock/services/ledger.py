"""Writing ledger rows and locking blanks: the two things every stock service does."""

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from dukcapil.bulk import insert_rows
from dukcapil.formats import grouped
from dukcapil.locks import locked
from stock.models import Blank, BlankStatus, Location, Movement
from stock.serials import serials_listed

_SQLITE_MAX_PARAMS = 30_000  # SQLite allows 32,766 parameters


def signed(number: int) -> str:
    """A difference with its sign: +1.200, -3, 0."""
    return f"+{grouped(number)}" if number > 0 else grouped(number)


def blanks_lock(serials: Sequence[str]) -> list[Blank]:
    """The blanks with these serials, row-locked in primary-key order; refuse unknown serials.

    Locking in one global order means two clerks working on overlapping sets wait for each
    other instead of deadlocking.
    """
    blanks = list(locked(blanks_with_serials(serials).order_by("pk")))
    if len(blanks) != len(serials):
        known = {b.serial for b in blanks}
        unknown = [s for s in serials if s not in known]
        raise ValidationError(f"Nomor seri tidak terdaftar: {serials_listed(unknown)}.")
    return blanks


def blanks_with_serials(serials: Sequence[str]):
    """Blanks by serial; on PostgreSQL one array parameter instead of thousands of
    placeholders the driver would have to split and the server to parse.

    A voided receipt's blanks never existed for the office, so a serial names the other one.
    """
    blanks = Blank.objects.exclude(status=BlankStatus.VOIDED)
    if connection.vendor == "postgresql":
        return blanks.extra(where=["stock_blank.serial = ANY(%s)"], params=[list(serials)])
    if len(serials) > _SQLITE_MAX_PARAMS:
        found = set()
        for start in range(0, len(serials), _SQLITE_MAX_PARAMS):
            chunk = serials[start : start + _SQLITE_MAX_PARAMS]
            found.update(blanks.filter(serial__in=chunk).values_list("pk", flat=True))
        return blanks.filter(pk__in=found)
    return blanks.filter(serial__in=serials)


def blanks_require(
    blanks: Sequence[Blank], *, status: str, location: Location | None = None
) -> None:
    """Refuse, naming the serials, blanks not in ``status`` (at ``location`` when given)."""
    wrong_status = [b for b in blanks if b.status != status]
    if wrong_status:
        label = BlankStatus(status).label.lower()
        described = ", ".join(
            f"{b.serial} ({b.get_status_display().lower()})" for b in wrong_status[:20]
        )
        more = f" dan {len(wrong_status) - 20} lainnya" if len(wrong_status) > 20 else ""
        raise ValidationError(f"Blanko tidak berstatus {label}: {described}{more}.")
    if location is not None:
        elsewhere = [b for b in blanks if b.location_id != location.pk]
        if elsewhere:
            names = dict(Location.objects.values_list("pk", "name"))
            described = ", ".join(f"{b.serial} (di {names[b.location_id]})" for b in elsewhere[:20])
            more = f" dan {len(elsewhere) - 20} lainnya" if len(elsewhere) > 20 else ""
            raise ValidationError(f"Blanko tidak berada di {location}: {described}{more}.")


def movements_write(
    *,
    blanks: Sequence[Blank],
    kind: str,
    to_status: str,
    to_location: Location,
    actor: AbstractBaseUser,
    reference: str = "",
    note: str = "",
) -> None:
    """One ledger row per blank, from where and in what status it is now (call this before
    changing the blanks) to ``to_location`` / ``to_status``."""
    now = timezone.now()
    rows = []
    for blank in blanks:
        rows.append(
            {
                "kind": kind,
                "blank_id": blank.pk,
                "from_location_id": blank.location_id,
                "from_status": blank.status,
                "to_location_id": to_location.pk,
                "to_status": to_status,
                "actor_id": actor.pk,
                "at": now,
                "reference": reference,
                "note": note,
            }
        )
    insert_rows(Movement, rows)
