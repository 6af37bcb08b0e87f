"""Writes to the resident register. Every path — admin, import, demo data — comes here."""

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from dukcapil.bulk import ids_in, insert_rows, insert_select
from registry.models import Resident
from registry.nik import nik_review_note

HistoricalResident = Resident.history.model
_TRACKED = [f.attname for f in Resident._meta.concrete_fields]
# What a staged row is to become (the ``action`` column of a staging table).
NEW, CHANGED = "n", "c"


@transaction.atomic
def resident_save(
    *,
    resident: Resident,
    actor: AbstractBaseUser,
    loaded_version: str | None = None,
    reason: str = "",
) -> Resident:
    """Create or update one resident after full validation.

    ``loaded_version`` is the ``updated_at`` (ISO text) the clerk's form was built from: when
    somebody else saved the resident in between, the save is refused instead of overwriting.
    """
    resident.full_clean()
    resident.nik_review_note = nik_review_note(
        resident.nik, birth_date=resident.birth_date, sex=resident.sex
    )
    if resident.pk and loaded_version:
        current = Resident.objects.select_for_update().only("updated_at").get(pk=resident.pk)
        if current.updated_at.isoformat() != loaded_version:
            raise ValidationError(
                "Data penduduk ini baru saja diubah petugas lain. Muat ulang halaman, "
                "periksa perubahannya, lalu simpan lagi."
            )
    resident._history_user = actor
    resident._change_reason = reason
    resident.save()
    return resident


def _record_history(where: str, params: Sequence, *, actor, reason: str, kind: str) -> None:
    """History rows copied from the residents by the database itself: nothing travels back
    and forth, and the history shows exactly what was stored. ``where`` selects from ``r``."""
    quote = connection.ops.quote_name
    insert_select(
        HistoricalResident,
        f"{quote(Resident._meta.db_table)} r WHERE {where}",
        params,
        columns={name: f"r.{quote(Resident._meta.get_field(name).column)}" for name in _TRACKED},
        constants={
            "history_date": timezone.now(),
            "history_type": kind,
            "history_user_id": actor.pk if actor else None,
            "history_change_reason": reason,
        },
    )


def residents_insert(
    *, rows: Sequence[dict], actor: AbstractBaseUser | None, reason: str
) -> list[int]:
    """Insert already validated residents ({field: value}) in bulk, with their history rows.

    Returns the new residents' ids, in the order of ``rows``.
    """
    ids = insert_rows(Resident, rows)
    if ids:
        _record_history(*ids_in("r.id", ids), actor=actor, reason=reason, kind="+")
    return ids


def residents_insert_staged(
    *, table: str, fields: Sequence[str], actor: AbstractBaseUser | None, reason: str
) -> int:
    """Insert the rows of a staging table marked NEW, with their history rows, set-based.

    The table holds already validated values in columns named after ``fields`` (Resident
    attnames), ``row_number``, ``action`` and ``resident_id``, which is filled in here.
    """
    created = insert_select(
        Resident,
        f"{table} s WHERE s.action = %s ORDER BY s.row_number",
        [NEW],
        columns={name: f"s.{name}" for name in fields},
    )
    if created:
        resident = connection.ops.quote_name(Resident._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET resident_id = r.id FROM {resident} r "
                f"WHERE r.nik = {table}.nik AND {table}.action = %s",
                [NEW],
            )
        _record_history(*_staged(table, NEW), actor=actor, reason=reason, kind="+")
    return created


def residents_update_staged(
    *, table: str, fields: Sequence[str], actor: AbstractBaseUser | None, reason: str
) -> int:
    """Write the rows of a staging table marked CHANGED over their residents (one UPDATE …
    FROM), with history rows for exactly those residents. See residents_insert_staged."""
    quote = connection.ops.quote_name
    resident = quote(Resident._meta.db_table)
    assignments = ", ".join(f"{quote(name)} = s.{name}" for name in fields)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {resident} SET {assignments}, updated_at = %s FROM {table} s "
            f"WHERE s.resident_id = {resident}.id AND s.action = %s",
            [now, CHANGED],
        )
        updated = cursor.rowcount
    if updated:
        _record_history(*_staged(table, CHANGED), actor=actor, reason=reason, kind="~")
    return updated


def _staged(table: str, action: str) -> tuple[str, list]:
    return f"r.id IN (SELECT resident_id FROM {table} WHERE action = %s)", [action]
