"""Writing the audit log. Every view of protected data and every sensitive change calls this."""

from typing import Any

from django.db import models

from dukcapil.models import AuditAction, AuditEntry


def client_ip(request) -> str | None:
    """The address the request came from (the TLS proxy's, unless it is trusted to tell)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor,
    action: AuditAction,
    obj: models.Model | None = None,
    object_repr: str = "",
    detail: dict[str, Any] | None = None,
    request=None,
    username: str = "",
) -> AuditEntry:
    """Append one entry. ``obj`` names the record; ``object_repr`` overrides its ``str()``.

    Write inside the transaction of the change it records, so the two stand or fall together.
    Never put a full NIK, No. KK or birth date in ``object_repr`` or ``detail``.
    """
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        actor_username=(actor.get_username() if actor is not None else username)[:150],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        detail=detail or {},
        ip=client_ip(request),
    )
