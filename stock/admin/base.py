"""Shared pieces of the stock admin: service form pages, read-only lists, Rupiah."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import number_format

FORM_TEMPLATE = "admin/stock/service_form.html"


def rupiah(value) -> str:
    return "—" if value is None else f"Rp {number_format(value, force_grouping=True)}"


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
):
    """A form page whose valid submission calls a service; its ValidationError shows on the form.

    ``perform`` gets the cleaned data and returns the success message.
    """
    form = form_class(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            message = perform(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            model_admin.message_user(request, message, messages.SUCCESS)
            return HttpResponseRedirect(success_url)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "submit_label": submit_label,
        "opts": model_admin.opts,
    }
    return TemplateResponse(request, FORM_TEMPLATE, context)


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
    if approved:
        model_admin.message_user(request, f"{approved} disetujui.", messages.SUCCESS)
