"""Writes to the resident register. Every path — admin, import, demo data — comes here."""

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
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


def _history_rows(rows: Sequence[dict], *, actor, reason: str, kind: str) -> list[dict]:
    now = timezone.now()
    stamp = {
        "history_date": now,
        "history_type": kind,
        "history_user_id": actor.pk if actor else None,
        "history_change_reason": reason,
    }
    return [row | stamp for row in rows]


def residents_insert(
    *, rows: Sequence[dict], actor: AbstractBaseUser | None, reason: str
) -> list[int]:
    """Insert already validated residents ({field: value}) in bulk, with their history rows.

    Returns the new residents' ids, in the order of ``rows``.
    """
    now = timezone.now()
    rows = [{"created_at": now, "updated_at": now} | row for row in rows]
    ids = insert_rows(Resident, rows)
    history = [row | {"id": pk} for row, pk in zip(rows, ids, strict=True)]
    insert_rows(HistoricalResident, _history_rows(history, actor=actor, reason=reason, kind="+"))
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
    rows = [{name: getattr(r, name) for name in _TRACKED} for r in residents]
    insert_rows(HistoricalResident, _history_rows(rows, actor=actor, reason=reason, kind="~"))
