"""The one place an application changes status: checked against the table, logged, stamped."""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dukcapil.locks import locked
from registry.lifecycle import CLEARED_FIELDS, TIMESTAMP_FIELDS, allowed_moves
from registry.models import CLOSED_STATUSES, ApplicationEvent, ApplicationStatus, CardApplication
from shifts.selectors import on_duty


def application_lock(application: CardApplication | int) -> CardApplication:
    """The application, row-locked until the transaction ends (call inside ``atomic``).

    Everything that changes an application locks it first, so a double click or a second
    clerk waits, then sees the status the first one left.
    """
    pk = application.pk if isinstance(application, CardApplication) else application
    return locked(CardApplication.objects.select_related("resident")).get(pk=pk)


def move_require(application: CardApplication, to_status: str, actor: AbstractBaseUser) -> None:
    """Refuse a move the status table does not allow, or one this user may not make."""
    moves = allowed_moves(application.status)
    if to_status not in moves:
        raise ValidationError(
            f"Permohonan {application.number} berstatus “{application.get_status_display()}”; "
            f"tidak dapat menjadi “{ApplicationStatus(to_status).label}”."
        )
    if not actor.has_perm(moves[to_status]):
        raise PermissionDenied(
            f"Anda tidak berwenang mengubah permohonan menjadi "
            f"“{ApplicationStatus(to_status).label}”."
        )


def event_write(
    application: CardApplication,
    *,
    from_status: str,
    actor: AbstractBaseUser,
    at: dt.datetime,
    note: str = "",
) -> ApplicationEvent:
    """Log one transition, stamped with the shift the actor was on duty in (or none)."""
    return ApplicationEvent.objects.create(
        application=application,
        from_status=from_status,
        to_status=application.status,
        actor=actor,
        at=at,
        assignment=on_duty(actor, at),
        note=note,
    )


def transition(
    application: CardApplication,
    *,
    to_status: str,
    actor: AbstractBaseUser,
    note: str = "",
    fields: tuple[str, ...] = (),
) -> ApplicationEvent:
    """Move a locked application to ``to_status``; ``fields`` are other columns the caller set."""
    move_require(application, to_status, actor)
    at = timezone.now()
    from_status = application.status
    changed = application_arrive(application, to_status, at)
    application.save(update_fields=[*changed, *fields])
    return event_write(application, from_status=from_status, actor=actor, at=at, note=note)


def application_arrive(application: CardApplication, to_status: str, at) -> list[str]:
    """Set the new status and what it stamps or clears; return the changed columns."""
    application.status = to_status
    changed = ["status"]
    if stamp := TIMESTAMP_FIELDS.get(to_status):
        setattr(application, stamp, at)
        changed.append(stamp)
    if cleared := CLEARED_FIELDS.get(to_status):
        setattr(application, cleared, None)
        changed.append(cleared)
    if to_status in CLOSED_STATUSES:
        application.closed_at = at
        changed.append("closed_at")
    return changed


def transitions_bulk(
    moves: list[tuple[CardApplication, str]], *, actor: AbstractBaseUser, note: str = ""
) -> int:
    """Move many locked applications at once (a central result sheet): same checks, same log.

    One moment and one on-duty lookup serve the whole batch; rows are written in bulk.
    """
    seen: set[int] = set()
    for application, to_status in moves:
        # Each move is checked against the status the application has now, so one
        # application moved twice in a batch would slip a second move past the table.
        if application.pk in seen:
            raise ValidationError(
                f"Permohonan {application.number} muncul lebih dari sekali dalam satu kiriman."
            )
        seen.add(application.pk)
        move_require(application, to_status, actor)
    at = timezone.now()
    assignment = on_duty(actor, at)
    events = []
    groups: dict[str, list[CardApplication]] = {}
    for application, to_status in moves:
        events.append(
            ApplicationEvent(
                application=application,
                from_status=application.status,
                to_status=to_status,
                actor=actor,
                at=at,
                assignment=assignment,
                note=note,
            )
        )
        groups.setdefault(to_status, []).append(application)
    # Every application arriving at one status gets the same values: one UPDATE per status.
    for to_status, applications in groups.items():
        for application in applications:
            changed = application_arrive(application, to_status, at)
        values = {name: getattr(applications[0], name) for name in changed}
        CardApplication.objects.filter(pk__in=[a.pk for a in applications]).update(**values)
    ApplicationEvent.objects.bulk_create(events, batch_size=2_000)
    return len(events)
