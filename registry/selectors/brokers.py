"""Broker (calo) indicators: patterns a supervisor should look into (DESIGN.md §6.3).

Each indicator is one grouped query over the whole window, whatever its size: contacts shared
across unrelated families, refused proxy attempts, and steps logged outside the actor's shift.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, When
from django.db.models.functions import TruncDate

from dukcapil.accounts import SYSTEM_USERNAME
from registry.models import ApplicationEvent, CardApplication, HandoverRefusal
from shifts.models import Roster, RosterStatus


@dataclass(frozen=True)
class SharedContact:
    """A phone number or helper seen on the applications of several families."""

    value: str
    applications: int
    families: int  # distinct No. KK
    latest: dt.datetime  # newest application received


@dataclass(frozen=True)
class RefusedProxy:
    """One would-be collector, by NIK (or by name when no NIK was given), and their attempts."""

    first_refusal: int  # names the group in links without putting the NIK in the address
    nik: str
    name: str
    names: int  # different names given with this NIK
    attempts: int
    applications: int
    families: int
    latest: dt.datetime


@dataclass(frozen=True)
class OffDutyActor:
    """A user whose steps were logged outside any published shift of theirs."""

    user_id: int
    username: str
    full_name: str
    staff_name: str | None  # None: the account belongs to no petugas, so is never on a roster
    events: int
    applications: int
    latest: dt.datetime

    @property
    def is_staff_member(self) -> bool:
        return self.staff_name is not None


def _since(field: str, since: dt.datetime | None) -> Q:
    return Q(**{f"{field}__gte": since}) if since else Q()


def _shared(field: str, *, min_families: int, since: dt.datetime | None) -> list[SharedContact]:
    rows = (
        CardApplication.objects.exclude(**{field: ""})
        .filter(_since("submitted_at", since))
        .values(field)
        .annotate(
            applications=Count("pk"),
            families=Count("resident__kk_number", distinct=True),
            latest=Max("submitted_at"),
        )
        .filter(families__gte=min_families)
        .order_by("-families", "-applications", field)
    )
    return [
        SharedContact(row[field], row["applications"], row["families"], row["latest"])
        for row in rows
    ]


def shared_phones(
    *, min_families: int = 2, since: dt.datetime | None = None
) -> list[SharedContact]:
    """Contact numbers given on applications of ``min_families`` or more families.

    One family sharing a phone is normal; one number across unrelated families is how a
    broker keeps in touch with the clients they bring in.
    """
    return _shared("phone", min_families=min_families, since=since)


def shared_helpers(
    *, min_families: int = 2, since: dt.datetime | None = None
) -> list[SharedContact]:
    """Helpers (pendamping) who came with applicants of ``min_families`` or more families."""
    return _shared("helper_name", min_families=min_families, since=since)


def _proxy_key():
    # The NIK identifies a would-be collector; a name is all there is when none was given.
    return Case(When(proxy_nik="", then=F("proxy_name")), default=F("proxy_nik"))


def proxy_refusals(*, since: dt.datetime | None = None) -> QuerySet[HandoverRefusal]:
    """Refused attempts to collect someone else's card, newest first."""
    return (
        HandoverRefusal.objects.filter(_since("at", since))
        .select_related("application__resident", "actor")
        .order_by("-at", "-pk")
    )


def refusals_by_same_proxy(queryset: QuerySet, refusal_id: int) -> QuerySet:
    """The refusals in ``queryset`` of the same would-be collector as refusal ``refusal_id``."""
    key = HandoverRefusal.objects.filter(pk=refusal_id).annotate(proxy=_proxy_key())
    return queryset.alias(proxy=_proxy_key()).filter(proxy__in=key.values("proxy"))


def refused_proxies(*, since: dt.datetime | None = None) -> list[RefusedProxy]:
    """Refused proxy attempts per would-be collector: most families first."""
    rows = (
        HandoverRefusal.objects.filter(_since("at", since))
        .annotate(proxy=_proxy_key())
        .values("proxy")
        .annotate(
            first_refusal=Min("pk"),
            nik=Max("proxy_nik"),
            name=Max("proxy_name"),
            names=Count("proxy_name", distinct=True),
            attempts=Count("pk"),
            applications=Count("application", distinct=True),
            families=Count("application__resident__kk_number", distinct=True),
            latest=Max("at"),
        )
        .order_by("-families", "-attempts", "-latest")
    )
    return [
        RefusedProxy(
            first_refusal=row["first_refusal"],
            nik=row["nik"],
            name=row["name"],
            names=row["names"],
            attempts=row["attempts"],
            applications=row["applications"],
            families=row["families"],
            latest=row["latest"],
        )
        for row in rows
    ]


def off_duty_events(
    *, since: dt.datetime | None = None, actor_id: int | None = None
) -> QuerySet[ApplicationEvent]:
    """Steps logged while their actor was on no published shift, newest first.

    Only days a published roster covers count: without one nobody is on duty, and flagging
    every step of such a day would bury the real cases. Work attributed to the system
    account and applications loaded from SIAK are nobody's shift work.
    """
    covered = Roster.objects.filter(
        status=RosterStatus.PUBLISHED,
        period_start__lte=OuterRef("day"),
        period_end__gte=OuterRef("day"),
    )
    events = (
        ApplicationEvent.objects.filter(_since("at", since), assignment__isnull=True)
        .exclude(actor__username=SYSTEM_USERNAME)
        .exclude(application__loaded_from_siak=True, from_status="")
        .alias(day=TruncDate("at"))  # the local date: a roster's days are WITA days
        .filter(Exists(covered))
    )
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    return events.select_related("actor", "application__resident").order_by("-at", "-pk")


def off_duty_actions(*, since: dt.datetime | None = None) -> list[OffDutyActor]:
    """Steps logged outside a published shift, per user: most steps first."""
    rows = (
        off_duty_events(since=since)
        .values(
            "actor",
            "actor__username",
            "actor__first_name",
            "actor__last_name",
            "actor__staff__name",
        )
        .annotate(
            events=Count("pk"),
            applications=Count("application", distinct=True),
            latest=Max("at"),
        )
        .order_by("-events", "-latest", "actor")
    )
    return [
        OffDutyActor(
            user_id=row["actor"],
            username=row["actor__username"],
            full_name=f"{row['actor__first_name']} {row['actor__last_name']}".strip(),
            staff_name=row["actor__staff__name"],
            events=row["events"],
            applications=row["applications"],
            latest=row["latest"],
        )
        for row in rows
    ]
