"""The office's real backlog: application states taken over from SIAK/BIP's STAT_RKM codes."""

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from dukcapil.accounts import system_user
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
CHUNK = 10_000  # ids per query, well under SQLite's parameter limit


@transaction.atomic
def applications_load_from_siak(
    *,
    resident_ids: Sequence[int] | None = None,
    actor: AbstractBaseUser | None = None,
    at: dt.datetime | None = None,
) -> int:
    """Create the application state SIAK reports for residents who have none here yet.

    Only residents without any application are loaded: what happened in this office is
    never overwritten by an older SIAK status. Loaded applications carry no blank (their
    cards were printed before this system), so the blank ledger never counts them.
    ``at`` dates the loading (the demo loads on its campaign's first day). Returns the number
    of applications created.
    """
    residents = Resident.objects.filter(
        siak_record_status__in=list(SIAK_STATES), applications__isnull=True
    ).values_list("pk", "siak_record_status")
    if resident_ids is None:
        found = list(residents)
    else:
        ids = list(resident_ids)
        found = [
            row
            for i in range(0, len(ids), CHUNK)
            for row in residents.filter(pk__in=ids[i : i + CHUNK])
        ]
    if not found:
        return 0
    actor = actor or system_user()
    now = at or timezone.now()
    applications = CardApplication.objects.bulk_create(
        (
            CardApplication(
                resident_id=pk,
                kind=ApplicationKind.NEW,
                status=SIAK_STATES[code],
                loaded_from_siak=True,
                submitted_by=actor,
                submitted_at=now,
                closed_at=now if SIAK_STATES[code] in CLOSED_STATUSES else None,
            )
            for pk, code in found
        ),
        batch_size=2_000,
    )
    ApplicationEvent.objects.bulk_create(
        (
            ApplicationEvent(
                application=application,
                from_status="",
                to_status=application.status,
                actor=actor,
                at=now,
                note="Dimuat dari SIAK",
            )
            for application in applications
        ),
        batch_size=2_000,
    )
    return len(applications)
