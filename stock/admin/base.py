"""Shared pieces of the stock admin: approving selected records, links, Rupiah."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.urls import reverse

from dukcapil.admin_services import BUSY_MESSAGE, is_contention
from dukcapil.formats import grouped


def rupiah(value) -> str:
    return "—" if value is None else f"Rp {grouped(value)}"


def changelist_url(model) -> str:
    return reverse(f"admin:stock_{model._meta.model_name}_changelist")


def approve_each(model_admin, request, queryset, approve, noun) -> None:
    approved = 0
    for obj in queryset.order_by("pk"):
        try:
            approve(**{noun: obj, "approver": request.user})
            approved += 1
        except ValidationError as exc:
            model_admin.message_user(request, " ".join(exc.messages), messages.WARNING)
        except OperationalError as exc:
            if not is_contention(exc):
                raise
            model_admin.message_user(request, BUSY_MESSAGE, messages.WARNING)
    if approved:
        model_admin.message_user(request, f"{approved} disetujui.", messages.SUCCESS)
