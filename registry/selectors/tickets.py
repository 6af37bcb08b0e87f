"""Reads of the queue: the waiting-room display, a desk's panel, the desks a clerk may use.

The display is public: it carries ticket numbers, desks and counts, never a NIK or a name.
"""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q

from registry.models import QueueTicket, ServiceDesk, TicketService, TicketStatus
from registry.models.tickets import ticket_code
from shifts.selectors import on_duty

LAST_CALLS = 6


def display_board(day: dt.date) -> dict:
    """What the waiting-room display shows for ``day``, in two queries."""
    waiting = dict(
        QueueTicket.objects.filter(day=day, status=TicketStatus.WAITING)
        .values_list("service")
        .annotate(count=Count("id"))
        .order_by()
    )
    last_called = (
        QueueTicket.objects.filter(day=day, called_at__isnull=False)
        .order_by("-called_at", "-id")
        .values("pk")[:LAST_CALLS]
    )
    shown = list(
        QueueTicket.objects.filter(day=day)
        .filter(Q(status=TicketStatus.CALLED) | Q(pk__in=last_called))
        .exclude(desk=None)
        .order_by("-called_at", "-id")
        .values("id", "prefix", "number", "service", "status", "calls", "desk__number")
    )
    called = [_call(row) for row in shown]
    return {
        "desks": sorted(
            (call for call in called if call["status"] == TicketStatus.CALLED),
            key=lambda call: call["desk"],
        ),
        "calls": called[:LAST_CALLS],
        "waiting": [
            {"service": service.value, "label": service.label, "count": waiting.get(service, 0)}
            for service in TicketService
        ],
    }


def _call(row: dict) -> dict:
    return {
        # Changes with every call and recall: the display announces each new key once.
        "key": f"{row['id']}.{row['service']}.{row['calls']}",
        "ticket": ticket_code(row["prefix"], row["number"]),
        "prefix": row["prefix"],
        "number": row["number"],
        "service": TicketService(row["service"]).label,
        "desk": row["desk__number"],
        "status": row["status"],
    }


def tickets_ahead(ticket: QueueTicket) -> int:
    """Waiting tickets of the same queue taken before this one."""
    return (
        QueueTicket.objects.filter(
            day=ticket.day, service=ticket.service, status=TicketStatus.WAITING
        )
        .filter(Q(issued_at__lt=ticket.issued_at) | Q(issued_at=ticket.issued_at, id__lt=ticket.id))
        .count()
    )


def desk_panel(desk: ServiceDesk, day: dt.date) -> dict:
    """The desk's ticket being called, and how many wait for its service."""
    return {
        "current": QueueTicket.objects.filter(desk=desk, status=TicketStatus.CALLED).first(),
        "waiting": QueueTicket.objects.filter(
            day=day, service=desk.service, status=TicketStatus.WAITING
        ).count(),
    }


def desks_for(user: AbstractBaseUser, at: dt.datetime) -> tuple[list[ServiceDesk], list[int]]:
    """Every active desk, and the numbers of those manned by the post ``user`` is on duty at."""
    desks = list(ServiceDesk.objects.filter(active=True))
    assignment = on_duty(user, at)
    mine = [d.number for d in desks if assignment and d.post_id == assignment.post_id]
    return desks, mine
