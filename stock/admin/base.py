"""Shared pieces of the stock admin: service form pages, read-only lists, Rupiah."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from dukcapil.formats import grouped

FORM_TEMPLATE = "admin/stock/service_form.html"
# Deadlock detected, serialization failure: another clerk's write won; trying again works.
_CONTENTION_SQLSTATES = {"40P01", "40001"}
BUSY_MESSAGE = "Sedang ramai, coba lagi: petugas lain sedang mengubah blanko yang sama."


def rupiah(value) -> str:
    return "—" if value is None else f"Rp {grouped(value)}"


def service_form_view(
    model_admin: admin.ModelAdmin,
    request,
    *,
    title: str,
    form_class: type[forms.Form],
    perform: Callable[[dict], str],
    submit_label: str,
    success_url: str,
    initial: dict | None = None,
    intro: str = "",
):
    """A form page whose valid submission calls a service; its ValidationError shows on the form.

    ``perform`` gets the cleaned data and returns the success message; ``intro`` says above the
    form what submitting it will do.
    """
    form = form_class(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            message = perform(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except OperationalError as exc:
            if not is_contention(exc):
                raise
            form.add_error(None, BUSY_MESSAGE)
        else:
            model_admin.message_user(request, message, messages.SUCCESS)
            return HttpResponseRedirect(success_url)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "submit_label": submit_label,
        "intro": intro,
        "opts": model_admin.opts,
    }
    return TemplateResponse(request, FORM_TEMPLATE, context)


def is_contention(exc: OperationalError) -> bool:
    """A deadlock or serialization failure: the service's transaction was rolled back whole,
    so the clerk can simply submit again."""
    cause = exc.__cause__
    return (
        getattr(cause, "sqlstate", None) in _CONTENTION_SQLSTATES
        or getattr(cause, "pgcode", None) in _CONTENTION_SQLSTATES
    )


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
