"""Queue tickets: taking a number, and calling, recalling, skipping, serving and transferring it
at a desk. Every step writes one TicketEvent in the same transaction.

Numbers come from one counter row per (WITA day, service), bumped by a single
``INSERT … ON CONFLICT DO UPDATE … RETURNING``: two kiosks at the same instant queue on that
row and never get one number twice (``ticket_number_once_per_day`` stands behind it). A desk
takes the next ticket with ``FOR UPDATE SKIP LOCKED`` in queue order, so two desks pressing at
once each get a different ticket and neither waits for the other.
"""

import datetime as dt
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dukcapil.locks import locked
from dukcapil.privacy import number_typed
from dukcapil.rate_limits import hits_count
from registry.models import (
    KIOSK_SERVICES,
    OPEN_TICKET_STATUSES,
    QueueTicket,
    ServiceDesk,
    TicketCounter,
    TicketEvent,
    TicketEventKind,
    TicketService,
    TicketStatus,
)
from registry.nik import parse_nik
from shifts.selectors import on_duty

CALL_PERMISSION = "registry.call_ticket"
ISSUE_PERMISSION = "registry.issue_ticket"
NIK_CONSTRAINT = "ticket_one_open_per_nik"


def _nik_taken(service: str) -> ValidationError:
    return ValidationError(
        f"NIK ini masih memegang nomor antrean {TicketService(service).label} yang belum "
        "selesai hari ini."
    )


@contextmanager
def _one_open_ticket_per_nik(service: str):
    """The partial unique constraint's refusal, worded for the clerk or the resident."""
    try:
        yield
    except IntegrityError as exc:
        if NIK_CONSTRAINT not in str(exc):
            raise
        raise _nik_taken(service) from exc


def _nik_holds_open(day, service: str, nik: str) -> bool:
    """Whether ``nik`` already holds an open ticket of ``service`` that day. Asked before the
    write as well as refused by the constraint: SQLite names no constraint in its error."""
    return bool(nik) and (
        QueueTicket.objects.filter(
            day=day, service=service, nik=nik, status__in=OPEN_TICKET_STATUSES
        ).exists()
    )


def _kiosk_allow(address: str) -> None:
    """At most DUKCAPIL_KIOSK_TICKETS_PER_HOUR tickets per address per clock hour."""
    limit = settings.DUKCAPIL_KIOSK_TICKETS_PER_HOUR
    if hits_count(f"ticket-kiosk:{address}:{timezone.now():%Y%m%d%H}", 3600) > limit:
        raise ValidationError(
            f"Batas pengambilan nomor antrean dari perangkat ini tercapai ({limit} per jam). "
            "Silakan minta nomor kepada petugas."
        )


def _number_next(day: dt.date, service: str) -> int:
    """Bump the day's counter of ``service`` and return the new number (one statement)."""
    table = connection.ops.quote_name(TicketCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, service, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (day, service) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",
            [day, service],
        )
        return cursor.fetchone()[0]


def _event(
    ticket: QueueTicket,
    kind: str,
    *,
    at: dt.datetime,
    actor: AbstractBaseUser | None,
    desk: ServiceDesk | None = None,
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        service=ticket.service,
        at=at,
        desk=desk,
        actor=actor,
        assignment=on_duty(actor, at) if actor else None,
    )


def ticket_issue(
    *,
    service: str,
    nik: str = "",
    actor: AbstractBaseUser | None = None,
    address: str = "",
) -> QueueTicket:
    """A new number at the end of ``service``'s queue today.

    Issued by a clerk (``actor``, who needs ``registry.issue_ticket``) or from the public
    kiosk (no actor, rate-limited per ``address``). A NIK, when given, holds one open ticket
    per service per day.
    """
    if actor is not None and not actor.has_perm(ISSUE_PERMISSION):
        raise PermissionDenied("Anda tidak berwenang mengambilkan nomor antrean.")
    allowed = TicketService.values if actor is not None else KIOSK_SERVICES
    if service not in allowed:
        raise ValidationError("Pilih layanan yang tersedia.")
    nik = number_typed(nik)
    if nik:
        parse_nik(nik)
    if actor is None:
        _kiosk_allow(address)
    at = timezone.now()
    day = timezone.localdate(at)
    with _one_open_ticket_per_nik(service), transaction.atomic():
        if _nik_holds_open(day, service, nik):
            raise _nik_taken(service)
        ticket = QueueTicket.objects.create(
            day=day,
            prefix=service,
            number=_number_next(day, service),
            service=service,
            issued_at=at,
            nik=nik,
        )
        _event(ticket, TicketEventKind.ISSUE, at=at, actor=actor)
    return ticket


def _desk_lock(desk: ServiceDesk, actor: AbstractBaseUser) -> ServiceDesk:
    """The desk row, locked: one clerk's double click, or two clerks at one desk, queue here."""
    if not actor.has_perm(CALL_PERMISSION):
        raise PermissionDenied("Anda tidak berwenang memanggil nomor antrean.")
    desk = locked(ServiceDesk.objects).get(pk=desk.pk)
    if not desk.active:
        raise ValidationError(f"{desk} tidak aktif.")
    return desk


def ticket_call_next(*, desk: ServiceDesk, actor: AbstractBaseUser) -> QueueTicket | None:
    """Call the oldest waiting ticket of the desk's service today; None when nobody waits.

    While the desk still has a ticket called, that ticket is returned and nothing else is
    called: a second press of the button (a double click) never calls two numbers.
    """
    with transaction.atomic():
        desk = _desk_lock(desk, actor)
        current = QueueTicket.objects.filter(desk=desk, status=TicketStatus.CALLED).first()
        if current is not None:
            return current
        ticket = (
            QueueTicket.objects.filter(
                day=timezone.localdate(), service=desk.service, status=TicketStatus.WAITING
            )
            .order_by("issued_at", "id")
            .select_for_update(skip_locked=True)
            .first()
        )
        if ticket is None:
            return None
        # Stamped once the ticket is ours: after the transfer or issue that made it callable.
        at = timezone.now()
        ticket.status = TicketStatus.CALLED
        ticket.desk = desk
        ticket.called_at = at
        ticket.calls = 1
        ticket.save(update_fields=["status", "desk", "called_at", "calls"])
        _event(ticket, TicketEventKind.CALL, at=at, actor=actor, desk=desk)
    return ticket


def _called_here(desk: ServiceDesk, ticket: int, actor: AbstractBaseUser) -> QueueTicket:
    """The ticket the clerk's page showed, still called at this desk (locked), or a refusal."""
    desk = _desk_lock(desk, actor)
    found = locked(QueueTicket.objects).filter(pk=ticket, desk=desk, status=TicketStatus.CALLED)
    current = found.first()
    if current is None:
        raise ValidationError(f"Nomor itu sudah tidak dipanggil di {desk}.")
    return current


def ticket_recall(*, desk: ServiceDesk, ticket: int, actor: AbstractBaseUser) -> QueueTicket:
    """Call the desk's ticket once more (the display announces it again)."""
    with transaction.atomic():
        current = _called_here(desk, ticket, actor)
        at = timezone.now()
        current.called_at = at
        current.calls += 1
        current.save(update_fields=["called_at", "calls"])
        _event(current, TicketEventKind.RECALL, at=at, actor=actor, desk=current.desk)
    return current


def ticket_skip(*, desk: ServiceDesk, ticket: int, actor: AbstractBaseUser) -> QueueTicket:
    """Close a ticket nobody answered after DUKCAPIL_TICKET_SKIP_AFTER_CALLS calls."""
    needed = settings.DUKCAPIL_TICKET_SKIP_AFTER_CALLS
    with transaction.atomic():
        current = _called_here(desk, ticket, actor)
        if current.calls < needed:
            raise ValidationError(
                f"Nomor {current.code} baru dipanggil {current.calls} kali; nomor dapat "
                f"dilewati setelah {needed} kali panggilan."
            )
        return _close(current, TicketStatus.SKIPPED, TicketEventKind.SKIP, actor)


def ticket_serve(*, desk: ServiceDesk, ticket: int, actor: AbstractBaseUser) -> QueueTicket:
    """The resident was served at the desk: the ticket is done."""
    with transaction.atomic():
        current = _called_here(desk, ticket, actor)
        return _close(current, TicketStatus.SERVED, TicketEventKind.SERVE, actor)


def _close(ticket: QueueTicket, status: str, kind: str, actor) -> QueueTicket:
    at = timezone.now()
    ticket.status = status
    ticket.closed_at = at
    ticket.save(update_fields=["status", "closed_at"])
    _event(ticket, kind, at=at, actor=actor, desk=ticket.desk)
    return ticket


def ticket_transfer(
    *, desk: ServiceDesk, ticket: int, service: str, actor: AbstractBaseUser
) -> QueueTicket:
    """Send the desk's ticket to another service's queue, in its place by issue time."""
    with _one_open_ticket_per_nik(service), transaction.atomic():
        current = _called_here(desk, ticket, actor)
        if service not in TicketService.values or service == current.service:
            raise ValidationError("Pilih layanan lain sebagai tujuan.")
        if _nik_holds_open(current.day, service, current.nik):
            raise _nik_taken(service)
        at = timezone.now()
        from_desk = current.desk
        current.service = service
        current.status = TicketStatus.WAITING
        current.desk = None
        current.called_at = None
        current.calls = 0
        current.save(update_fields=["service", "status", "desk", "called_at", "calls"])
        _event(current, TicketEventKind.TRANSFER, at=at, actor=actor, desk=from_desk)
    return current
