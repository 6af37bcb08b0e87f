"""Reads about applications for desks, services and the dashboard."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from registry.lifecycle import DESK_STATUSES
from registry.models import (
    OPEN_STATUSES,
    ApplicationStatus,
    Campaign,
    CardApplication,
    Resident,
    SiakRecordStatus,
)
from stock.models import Destruction


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


def collection_queue():
    """Printed cards not yet collected, oldest first, with their age in days."""
    return (
        CardApplication.objects.filter(status=ApplicationStatus.PRINTED)
        .select_related("resident__village__district")
        # Cards loaded from SIAK were printed before this system: wait counted from loading.
        .annotate(waiting_since=Coalesce("printed_at", "submitted_at"))
        .order_by("waiting_since", "id")
    )


def old_cards_awaiting_destruction() -> int:
    """Old cards taken back at handover (rusak, perubahan data) not yet in a destruction record."""
    collected = CardApplication.objects.filter(old_card_collected=True).count()
    destroyed = Destruction.objects.aggregate(n=Sum("returned_old_cards"))["n"] or 0
    return max(collected - destroyed, 0)


@dataclass
class CampaignProgress:
    campaign: Campaign
    recorded: int
    printed: int
    issued: int

    @property
    def issued_share(self) -> float:
        return self.issued / self.campaign.target if self.campaign.target else 0.0


def campaign_progress(campaign: Campaign, *, until: dt.datetime | None = None) -> CampaignProgress:
    """Recorded, printed and issued here since the campaign began (SIAK backlog excluded)."""
    start = timezone.make_aware(dt.datetime.combine(campaign.start, dt.time.min))
    until = until or timezone.now()
    counts = CardApplication.objects.aggregate(
        recorded=Count("pk", filter=Q(recorded_at__range=(start, until))),
        printed=Count("pk", filter=Q(printed_at__range=(start, until))),
        issued=Count("pk", filter=Q(issued_at__range=(start, until))),
    )
    return CampaignProgress(campaign=campaign, **counts)
