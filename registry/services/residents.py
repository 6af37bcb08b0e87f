"""Writes to the resident register. Every path — admin, import, demo data — comes here."""

import json
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from dukcapil.bulk import insert_rows
from registry.models import Resident
from registry.nik import nik_review_note

HistoricalResident = Resident.history.model
_TRACKED = [f.attname for f in Resident._meta.concrete_fields]


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


# The history rows are copied from the residents by the database itself: nothing travels
# back and forth, and the history always shows exactly what was stored.
_ID_IN = {
    "postgresql": "id = ANY(%s)",
    "sqlite": "id IN (SELECT value FROM json_each(%s))",
}


def _record_history(ids: Sequence[int], *, actor, reason: str, kind: str) -> None:
    if not ids:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Resident._meta.get_field(name).column) for name in _TRACKED)
    ids_param = list(ids) if connection.vendor == "postgresql" else json.dumps(list(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(HistoricalResident._meta.db_table)} ({columns}, history_date, "
            "history_type, history_user_id, history_change_reason) "
            f"SELECT {columns}, %s, %s, %s, %s FROM {quote(Resident._meta.db_table)} "
            f"WHERE {_ID_IN[connection.vendor]}",
            [timezone.now(), kind, actor.pk if actor else None, reason, ids_param],
        )


def residents_insert(
    *, rows: Sequence[dict], actor: AbstractBaseUser | None, reason: str
) -> list[int]:
    """Insert already validated residents ({field: value}) in bulk, with their history rows.

    Returns the new residents' ids, in the order of ``rows``.
    """
    ids = insert_rows(Resident, rows)
    _record_history(ids, actor=actor, reason=reason, kind="+")
    return ids


def residents_update(
    *,
    residents: Sequence[Resident],
    fields: Sequence[str],
    actor: AbstractBaseUser | None,
    reason: str,
) -> None:
    """Write changed fields of already validated residents in bulk, with their history rows."""
    if not residents:
        return
    now = timezone.now()
    for resident in residents:
        resident.updated_at = now
    Resident.objects.bulk_update(residents, [*fields, "updated_at"], batch_size=500)
    _record_history([r.pk for r in residents], actor=actor, reason=reason, kind="~")
