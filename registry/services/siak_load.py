"""The office's real backlog: application states taken over from SIAK/BIP's STAT_RKM codes."""

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from dukcapil.accounts import system_user
from dukcapil.bulk import ids_in, insert_select
from registry.models import (
    CLOSED_STATUSES,
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    CardApplication,
    Resident,
    SiakRecordStatus,
)

R, S = SiakRecordStatus, ApplicationStatus
SIAK_STATES = {
    R.RECORDED: S.RECORDED,
    R.PRINT_READY: S.PRINT_READY,
    R.SENT_FOR_PRINTING: S.PRINT_READY,
    R.CARD_PRINTED: S.PRINTED,
    R.CARD_SHIPPED: S.PRINTED,
    R.CARD_ISSUED: S.ISSUED,
}
NOTE = "Dimuat dari SIAK"


@transaction.atomic
def applications_load_from_siak(
    *,
    resident_ids: Sequence[int] | None = None,
    residents_sql: str | None = None,
    actor: AbstractBaseUser | None = None,
    at: dt.datetime | None = None,
) -> int:
    """Create the application state SIAK reports for residents who have none here yet.

    Only residents without any application are loaded: what happened in this office is
    never overwritten by an older SIAK status. Loaded applications carry no blank (their
    cards were printed before this system), so the blank ledger never counts them.
    ``resident_ids`` or ``residents_sql`` (a query selecting resident ids) limit the
    loading to those residents. ``at`` dates the loading (the demo loads on its campaign's
    first day). Set-based: two INSERT … SELECT, whatever the count. Returns the number of
    applications created.
    """
    quote = connection.ops.quote_name
    application = quote(CardApplication._meta.db_table)
    where = [
        f"NOT EXISTS (SELECT 1 FROM {application} a WHERE a.resident_id = r.id)",
    ]
    params = []
    if resident_ids is not None:
        condition, params = ids_in("r.id", resident_ids)
        where.append(condition)
    if residents_sql is not None:
        where.append(f"r.id IN ({residents_sql})")
    actor = actor or system_user()
    now = at or timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    # (code, status, closed_at) for each STAT_RKM code, joined to the residents.
    states = ", ".join(["(%s, %s, %s)"] * len(SIAK_STATES))
    params = [
        *(
            value
            for code, state in SIAK_STATES.items()
            for value in (int(code), state, stamp if state in CLOSED_STATUSES else None)
        ),
        *params,
    ]
    loaded = insert_select(
        CardApplication,
        f"{quote(Resident._meta.db_table)} r JOIN (VALUES {states}) m "
        f"ON m.column1 = r.siak_record_status WHERE {' AND '.join(where)} ORDER BY r.id",
        params,
        columns={"resident_id": "r.id", "status": "m.column2", "closed_at": "m.column3"},
        constants={
            "kind": ApplicationKind.NEW,
            "loaded_from_siak": True,
            "submitted_by_id": actor.pk,
            "submitted_at": now,
        },
    )
    if loaded:
        event = quote(ApplicationEvent._meta.db_table)
        insert_select(
            ApplicationEvent,
            f"{application} a WHERE a.loaded_from_siak AND a.submitted_at = %s "
            f"AND a.submitted_by_id = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {event} e WHERE e.application_id = a.id) ORDER BY a.id",
            [stamp, actor.pk],
            columns={"application_id": "a.id", "to_status": "a.status"},
            constants={"from_status": "", "actor_id": actor.pk, "at": now, "note": NOTE},
        )
    return loaded
