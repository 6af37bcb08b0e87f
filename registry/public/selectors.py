"""Reads for the public pages: one resident's latest application, and a kelurahan's cards
waiting to be collected. Nothing here returns a full NIK to a template."""

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from dukcapil.privacy import mask_number
from registry.models import ApplicationStatus, CardApplication, Village
from registry.selectors.applications import WAITING_SINCE, collection_queue

S = ApplicationStatus


def latest_application(*, nik: str, birth_date: dt.date) -> dict | None:
    """The resident's latest application that still counts (not rejected or cancelled).

    NIK and birth date are matched in one query, so an unknown NIK and a wrong birth date
    cost the same and come back the same: None.
    """
    return (
        CardApplication.objects.filter(resident__nik=nik, resident__birth_date=birth_date)
        .exclude(status__in=(S.REJECTED, S.CANCELLED))
        .annotate(waiting_since=WAITING_SINCE)
        .order_by("-submitted_at", "-id")
        .values("status", "kind", "waiting_since", "issued_at")
        .first()
    )


def villages_by_district() -> list[tuple[str, list[Village]]]:
    """Every kelurahan under its kecamatan, for the public list's select."""
    groups: dict[str, list[Village]] = {}
    for village in Village.objects.select_related("district").order_by("district__code", "name"):
        groups.setdefault(village.district.name, []).append(village)
    return list(groups.items())


def ready_for_collection(village: Village):
    """The kelurahan's printed cards not yet collected, by name: (nik, name, rt, rw, since)."""
    return (
        collection_queue()
        .filter(resident__village=village)
        .order_by("resident__full_name", "id")
        .values_list(
            "resident__nik", "resident__full_name", "resident__rt", "resident__rw", "waiting_since"
        )
    )


def announcement_rows(rows: Iterable[tuple]) -> list[dict]:
    """Rows of ready_for_collection as the public sees them: the NIK masked as in the
    announcement export, the date in WITA."""
    return [
        {
            "nik": mask_number(nik),
            "name": name,
            "rt_rw": f"{rt}/{rw}",
            "since": timezone.localdate(since),
        }
        for nik, name, rt, rw, since in rows
    ]
