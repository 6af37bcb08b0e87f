"""Reads about applications for desks, services and the dashboard."""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Coalesce

from dukcapil.formats import grouped
from registry.lifecycle import (
    DESK_STATUSES,
    SUKET,
    SUKET_PERMISSION,
    SUKET_STATUSES,
    allowed_moves,
)
from registry.models import (
    OPEN_STATUSES,
    ApplicationStatus,
    Campaign,
    CardApplication,
    Resident,
    SiakRecordStatus,
)
from shifts.selectors import on_duty
from stock.models import Destruction, Movement, MovementKind
from stock.selectors import blanks_in_stock


def resident_recorded_before(resident: Resident) -> bool:
    """Biometrics taken already — here, or in SIAK before this system (STAT_RKM 3 and up)."""
    if (resident.siak_record_status or 0) >= SiakRecordStatus.RECORDED:
        return True
    return CardApplication.objects.filter(resident=resident, recorded_at__isnull=False).exists()


def open_application(resident: Resident) -> CardApplication | None:
    return CardApplication.objects.filter(resident=resident, status__in=OPEN_STATUSES).first()


def desk_statuses(user) -> list[str]:
    """The statuses of the applications a user's desk works on (all, for supervisors)."""
    if user.has_perm("registry.cancel_application"):
        return list(ApplicationStatus.values)
    statuses: list[str] = []
    for permission, desk in DESK_STATUSES.items():
        if user.has_perm(permission):
            statuses.extend(s for s in desk if s not in statuses)
    return statuses


# Cards loaded from SIAK were printed before this system: their wait counts from loading.
WAITING_SINCE = Coalesce("printed_at", "submitted_at")


def collection_queue():
    """Printed cards not yet collected, oldest first, with their age in days."""
    return (
        CardApplication.objects.filter(status=ApplicationStatus.PRINTED)
        .select_related("resident__village__district")
        .annotate(waiting_since=WAITING_SINCE)
        .order_by("waiting_since", "id")
    )


def old_cards_awaiting_destruction() -> int:
    """Old cards taken back at handover (rusak, perubahan data) not yet in a destruction record."""
    collected = CardApplication.objects.filter(old_card_collected=True).count()
    destroyed = Destruction.objects.aggregate(n=Sum("returned_old_cards"))["n"] or 0
    return max(collected - destroyed, 0)


def cards_still_to_print() -> int | None:
    """The latest campaign's target less the cards printed so far, here or in SIAK before this
    system (applications printed or issued); None without a campaign."""
    campaign = Campaign.objects.first()
    if campaign is None:
        return None
    printed = CardApplication.objects.filter(
        status__in=[ApplicationStatus.PRINTED, ApplicationStatus.ISSUED]
    ).count()
    return max(campaign.target - printed, 0)


def suket_refusal(application: CardApplication) -> str:
    """Why no suket may be issued for this application now, or "" when one may."""
    if application.status not in SUKET_STATUSES or not resident_recorded_before(
        application.resident
    ):
        return "Suket hanya untuk penduduk yang sudah direkam dan kartunya belum tercetak."
    if settings.DUKCAPIL_SUKET_REFUSED_WHILE_STOCK and (in_stock := blanks_in_stock()):
        return f"Blanko masih tersedia ({grouped(in_stock)} keping): cetak KTP-el, bukan suket."
    if application.sukets.filter(returned_at__isnull=True).exists():
        return f"Permohonan {application.number} sudah memiliki suket yang berlaku."
    return ""


def available_moves(application: CardApplication, user) -> list[str]:
    """What ``user`` may do with ``application`` now: the statuses it may move to, in the order
    of the status table, with SUKET before a cancellation when a suket would be issued.

    The desk offers exactly these; a move its service would refuse is not offered.
    """
    recorded_before = None
    moves = []
    for to_status, permission in allowed_moves(application.status).items():
        if not user.has_perm(permission):
            continue
        if application.status == ApplicationStatus.VERIFIED and to_status in (
            ApplicationStatus.RECORDED,
            ApplicationStatus.PRINT_READY,
        ):
            if recorded_before is None:
                recorded_before = resident_recorded_before(application.resident)
            # Recorded once in a lifetime: someone recorded before waits for the PRR.
            if recorded_before != (to_status == ApplicationStatus.PRINT_READY):
                continue
        moves.append(to_status)
    if user.has_perm(SUKET_PERMISSION) and not suket_refusal(application):
        cancel = ApplicationStatus.CANCELLED
        moves.insert(moves.index(cancel) if cancel in moves else len(moves), SUKET)
    return moves


# The queue each desk works through, longest waiting first, after the step that empties it.
def _print_queue():
    return CardApplication.objects.filter(status=ApplicationStatus.PRINT_READY).order_by(
        "submitted_at", "id"
    )


NEXT_QUEUES = {ApplicationStatus.PRINTED: _print_queue, ApplicationStatus.ISSUED: collection_queue}


def next_in_line(application: CardApplication) -> CardApplication | None:
    """After a print or a handover, the application waiting longest for the same step."""
    queue = NEXT_QUEUES.get(application.status)
    if queue is None:
        return None
    return queue().exclude(pk=application.pk).select_related("resident").first()


@dataclass(frozen=True)
class HistoryLine:
    at: dt.datetime
    from_status: str
    to_status: str
    actor: object
    shift: str  # "Pagi · Cetak", or "" off the roster or before this system
    off_roster: bool
    note: str


def _shift(assignment) -> str:
    return f"{assignment.shift_type.name} · {assignment.post.name}" if assignment else ""


def application_history(application: CardApplication) -> list[HistoryLine]:
    """The application's Riwayat: its transitions and every blank spoiled for it, by time.

    A failed print leaves the status as it was, so it is in the blank ledger (referenced by the
    application's number), not among the transitions.
    """
    lines = [
        HistoryLine(
            at=event.at,
            from_status=event.get_from_status_display(),
            to_status=event.get_to_status_display(),
            actor=event.actor,
            shift=_shift(event.assignment),
            # What SIAK loaded had no shift of this office.
            off_roster=not event.assignment
            and not (application.loaded_from_siak and not event.from_status),
            note=event.note,
        )
        for event in application.events.select_related(
            "actor", "assignment__shift_type", "assignment__post"
        )
    ]
    if application.print_ready_at is not None:
        spoiled = Movement.objects.filter(
            kind=MovementKind.SPOIL,
            at__gte=application.print_ready_at,
            reference=application.number,
        ).select_related("blank", "actor", "to_location")
        for movement in spoiled:
            assignment = on_duty(movement.actor, movement.at)
            note = (
                f"Blanko {movement.blank.serial} rusak "
                f"({movement.blank.get_spoil_reason_display().lower()}) di {movement.to_location}"
            )
            lines.append(
                HistoryLine(
                    at=movement.at,
                    from_status=ApplicationStatus.PRINT_READY.label,
                    to_status="Cetak gagal",
                    actor=movement.actor,
                    shift=_shift(assignment),
                    off_roster=assignment is None,
                    note=f"{note}. {movement.note}" if movement.note else note,
                )
            )
    return sorted(lines, key=lambda line: line.at)


_APPLICATION_NUMBER = re.compile(r"(?:PKTP[\s-]*)?0*(\d{1,9})", re.IGNORECASE)


def application_by_number(term: str) -> CardApplication | None:
    """The application whose number (PKTP-0000123, as printed or scanned) is ``term``."""
    match = _APPLICATION_NUMBER.fullmatch(term.strip())
    if match is None:
        return None
    return CardApplication.objects.filter(pk=int(match[1])).first()
