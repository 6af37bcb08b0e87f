"""Protected personal data (UU Adminduk Pasal 84, UU PDP 27/2022): which fields, who sees them
in full, how they are masked, and which list queries may touch them.

The fields and the permission are named here as data, so that this package imports no app.
A mask shown on screen is worthless if the list can still be filtered, sorted, searched or
autocompleted on the hidden value: the rules below hold at query level.
"""

import datetime as dt
import re
from collections.abc import Callable, Sequence
from functools import cache, reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone

from dukcapil.audit import audit_record
from dukcapil.models import AuditAction, AuditEntry

FULL_VIEW_PERMISSION = "registry.view_full_nik"
# The one exception to the masks: the Petugas Penyerahan compares the card in hand with the
# person's KK and face, so the handover desk shows that one applicant in full.
HANDOVER_PERMISSION = "registry.hand_over_card"
# Model label → its protected fields. A lookup through relations ("resident__nik") is
# protected when any step of it is.
PROTECTED_FIELDS: dict[str, frozenset[str]] = {
    "registry.resident": frozenset({"nik", "kk_number", "birth_date"}),
    "registry.handoverrefusal": frozenset({"proxy_nik"}),
}
# An admin column or form field named after a protected field shows it in full; its masked
# twin is named "<field>_masked".
PROTECTED_NAMES = frozenset().union(*PROTECTED_FIELDS.values())
_NUMBER = re.compile(r"\d{16}")
# What people put between the digits of a NIK or No. KK when they type, copy or scan one.
_SEPARATORS = re.compile(r"[\s.\-]")
# Room for a 16-digit number written in groups ("5371 0127 0190 0001", "5371.0127…").
TYPED_NUMBER_LENGTH = 24


def sees_full(user) -> bool:
    return user.has_perm(FULL_VIEW_PERMISSION)


def mask_phone(phone: str) -> str:
    """0812******90: the operator prefix and the last two digits stay readable."""
    if len(phone) <= 6:
        return "*" * len(phone)
    return f"{phone[:4]}{'*' * (len(phone) - 6)}{phone[-2:]}"


def mask_number(value: str) -> str:
    """537101******0001: region and serial stay readable, the birth date does not."""
    if not value or len(value) != 16:
        return "*" * len(value or "")
    return f"{value[:6]}******{value[12:]}"


def mask_birth_date(value: dt.date | None) -> str:
    return f"**-**-{value:%Y}" if value else ""


def masked_names(user, names: Sequence) -> list:
    """Admin column or field names (fieldset rows may be tuples) as ``user`` may see them."""
    if sees_full(user):
        return list(names)
    return [_masked_name(name) for name in names]


def _masked_name(name):
    if isinstance(name, (tuple, list)):
        return tuple(_masked_name(n) for n in name)
    return f"{name}_masked" if name in PROTECTED_NAMES else name


def masked_column(description: str, value: Callable[[Any], Any], mask=mask_number):
    """A masked twin column for an admin. It declares no ordering: sorting by the hidden value
    would betray it row by row."""

    @admin.display(description=description)
    def column(model_admin, obj):
        return mask(value(obj))

    return column


def full_view_record(request, obj, *, application=None, at_handover: bool = False) -> bool:
    """Whether this page shows ``obj``'s protected data in full; each full view leaves one
    audit entry, naming the application it was shown for.

    ``at_handover``: the page is the handover step of ``application``. A holder of
    HANDOVER_PERMISSION then sees that one applicant in full (the lists stay masked), and the
    entry says so.
    """
    user = request.user
    handover = at_handover and not sees_full(user) and user.has_perm(HANDOVER_PERMISSION)
    if not (handover or sees_full(user)):
        return False
    detail = {"application": str(application)} if application is not None else {}
    if handover:
        detail["basis"] = "penyerahan"
    audit_record(
        actor=user, action=AuditAction.VIEW_FULL_NIK, obj=obj, detail=detail, request=request
    )
    return True


# Searching by a full number


def number_typed(value: str) -> str:
    """A NIK or No. KK as typed or scanned, without its spaces, dots and dashes."""
    return _SEPARATORS.sub("", value or "")


def exact_number(term: str) -> str | None:
    """The 16-digit NIK or No. KK typed (separators allowed), or None."""
    number = number_typed(term)
    return number if _NUMBER.fullmatch(number) else None


def number_search(request, queryset: QuerySet, number: str, paths: Sequence[str]) -> QuerySet:
    """Rows whose field at one of ``paths`` equals the full ``number``.

    The desks need it (the resident stands in front of them with their card), so it stays for
    every role; each search is recorded, and past DUKCAPIL_NIK_SEARCHES_PER_HOUR a user gets
    ValidationError instead, whichever worker process answers. Counted from the audit log, so
    guessing a NIK from its masked digits is slow and leaves a trail.
    """
    found = queryset.filter(reduce(or_, (Q(**{path: number}) for path in paths)))
    # Facet counts and exports run the same search again within one request.
    done = request.__dict__.setdefault("_dukcapil_number_searches", set())
    if number in done:
        return found
    user = request.user
    limit = settings.DUKCAPIL_NIK_SEARCHES_PER_HOUR
    with transaction.atomic():
        # One user's parallel requests queue here, so together they cannot overrun the limit.
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values("pk"))
        recent = AuditEntry.objects.filter(
            actor=user,
            action=AuditAction.SEARCH_NIK,
            at__gte=timezone.now() - dt.timedelta(hours=1),
        ).count()
        if recent >= limit:
            raise ValidationError(
                f"Batas pencarian dengan NIK atau No. KK tercapai ({limit} kali per jam). "
                "Coba lagi nanti, atau minta bantuan Kepala Seksi."
            )
        audit_record(
            actor=user,
            action=AuditAction.SEARCH_NIK,
            object_repr=mask_number(number),
            detail={
                "number": mask_number(number),
                "results": found.count(),
                "list": queryset.model._meta.label_lower,
            },
            request=request,
        )
    done.add(number)
    return found


def search_refused(model_admin, request, queryset: QuerySet, exc: ValidationError) -> QuerySet:
    """What a list shows for a refused search: the reason, and no rows."""
    model_admin.message_user(request, " ".join(exc.messages), messages.ERROR)
    return queryset.none()


# Lookups in list addresses


class RefusedLookup(DisallowedModelAdminLookup):
    """Lookups in a list address that the list does not honour for this user."""

    def __init__(self, names: Sequence[str]):
        self.names = list(names)
        super().__init__(f"Refused lookups: {', '.join(self.names)}")


def touches_protected(model, lookup: str) -> bool:
    """Whether ``lookup`` ("resident__nik__startswith") reads a protected field on its way."""
    for part in lookup.split(LOOKUP_SEP):
        if part in PROTECTED_FIELDS.get(model._meta.label_lower, ()):
            return True
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if field.related_model is None:
            return False
        model = field.related_model
    return False


class DeclaredLookupsOnly:
    """A list honours only the parameters its own filters and date drill-down read.

    Django applies any other ``?field__lookup=`` as a query: ``?nik__startswith=`` recovered a
    masked NIK digit by digit, and ``?nik__regex=(`` broke the page. A masked role may not
    filter on a protected field even where a filter declares it.
    """

    def lookup_allowed(self, lookup, value, request):
        protected = not sees_full(request.user) and touches_protected(self.model, lookup)
        if protected or not super().lookup_allowed(lookup, value, request):
            raise RefusedLookup([lookup])
        return True

    def get_changelist(self, request, **kwargs):
        return _declared_only(super().get_changelist(request, **kwargs))


@cache
def _declared_only(changelist_class):
    class DeclaredOnlyChangeList(changelist_class):
        def get_filters(self, request):
            result = super().get_filters(request)
            # The declared filters have taken their parameters; what is left would become a
            # query of its own. The date drill-down leaves its bounds, which it declared.
            bounds = {f"{self.date_hierarchy}__gte", f"{self.date_hierarchy}__lt"}
            undeclared = sorted(set(result[2]) - (bounds if self.date_hierarchy else set()))
            if undeclared:
                raise RefusedLookup(undeclared)
            return result

    return DeclaredOnlyChangeList
