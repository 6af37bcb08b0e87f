"""One way for an admin page to call a service.

A :class:`ServiceForm` names a permission, a form whose cleaned data are the service's keyword
arguments, the service, and the success message. The page adds the acting user (and any object
the URL names), calls the service once, and turns what the service refuses into messages on the
form: ``ValidationError`` as the reason, ``PermissionDenied`` as the reason and an audit entry,
a deadlock or serialization failure as "try again". Nothing else decides anything.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from dukcapil.audit import audit_record
from dukcapil.models import AuditAction

FORM_TEMPLATE = "admin/service_form.html"
BUSY_MESSAGE = "Sedang ramai, coba lagi: petugas lain sedang mengubah data yang sama."
# Deadlock detected, serialization failure: another clerk's write won; trying again works.
_CONTENTION_SQLSTATES = {"40P01", "40001"}


@dataclass(frozen=True)
class ServiceForm:
    """A form page whose valid submission is one service call.

    ``message(result, data)`` words the success; ``subject`` names the cleaned-data field an
    audit entry of a refusal is about (the page's title when there is none).
    """

    permission: str
    title: str
    form_class: type[forms.Form]
    service: Callable[..., Any]
    message: Callable[[Any, dict], str]
    submit_label: str
    subject: str | None = None

    def view(
        self,
        model_admin,
        request,
        *,
        success_url: str,
        initial: dict | None = None,
        intro: str = "",
        **bound: Any,
    ):
        """The page; ``bound`` are service arguments fixed by the URL (the receipt to void)."""
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        form = self.form_class(request.POST or None, request.FILES or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                result = self.service(actor=request.user, **bound, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            except PermissionDenied as refused:
                self._audit_refusal(request, data, bound)
                form.add_error(None, str(refused))
            except OperationalError as exc:
                if not is_contention(exc):
                    raise
                form.add_error(None, BUSY_MESSAGE)
            else:
                model_admin.message_user(request, self.message(result, data), messages.SUCCESS)
                return HttpResponseRedirect(success_url)
        context = {
            **model_admin.admin_site.each_context(request),
            "title": self.title,
            "form": form,
            "submit_label": self.submit_label,
            "intro": intro,
            "opts": model_admin.opts,
        }
        return TemplateResponse(request, FORM_TEMPLATE, context)

    def _audit_refusal(self, request, data: dict, bound: dict) -> None:
        subject = {**bound, **data}.get(self.subject) if self.subject else self.title
        audit_record(
            actor=request.user,
            action=AuditAction.REFUSED,
            object_repr=str(subject),
            detail={"step": self.service.__name__},
            request=request,
        )


def is_contention(exc: OperationalError) -> bool:
    """A deadlock or serialization failure: the service's transaction was rolled back whole,
    so the clerk can simply submit again."""
    cause = exc.__cause__
    return (
        getattr(cause, "sqlstate", None) in _CONTENTION_SQLSTATES
        or getattr(cause, "pgcode", None) in _CONTENTION_SQLSTATES
    )
