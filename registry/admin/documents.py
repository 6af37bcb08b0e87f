"""Documents the resident takes home, printed on A4 from the desk: the registration receipt
(tanda terima permohonan) and the suket.

Both carry the resident's full NIK, so each print — the first and every reprint — leaves one
``view_full_nik`` entry naming the document and how many times it was printed before.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from dukcapil.audit import audit_record
from dukcapil.models import AuditAction, AuditEntry
from dukcapil.privacy import sees_full
from registry.lifecycle import OLD_CARD_RETURNED
from registry.models import CardApplication, Suket

RECEIPT, SUKET = "tanda_terima", "suket"
# The desk that makes each document hands it over; the supervisor, who may cancel on every
# desk, reprints either.
PRINT_PERMISSIONS = {RECEIPT: "registry.add_cardapplication", SUKET: "registry.issue_suket"}
SUPERVISOR_PERMISSION = "registry.cancel_application"


def may_print(user, document: str) -> bool:
    permitted = user.has_perm(PRINT_PERMISSIONS[document]) or user.has_perm(SUPERVISOR_PERMISSION)
    return permitted and sees_full(user)


def printable_documents(user, application: CardApplication) -> list[tuple[str, str]]:
    """The desk's print links: (label, address) for the documents this user may print now."""
    links = []
    if may_print(user, RECEIPT):
        links.append(("Cetak tanda terima", _url("receipt", application)))
    if may_print(user, SUKET) and application.sukets.filter(returned_at__isnull=True).exists():
        links.append(("Cetak suket", _url("suket", application)))
    return links


def _url(document: str, application: CardApplication) -> str:
    return reverse(f"admin:registry_cardapplication_print_{document}", args=[application.pk])


def _print_record(request, obj, document: str) -> int:
    """Record this print; returns how many times the document was printed before."""
    earlier = AuditEntry.objects.filter(
        action=AuditAction.VIEW_FULL_NIK,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        detail__document=document,
    ).count()
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW_FULL_NIK,
        obj=obj,
        detail={"document": document, "reprint": earlier},
        request=request,
    )
    return earlier


class ApplicationDocumentsMixin:
    """The print views of the application admin."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/cetak/tanda-terima/",
                view(self.receipt_print_view),
                name="registry_cardapplication_print_receipt",
            ),
            path(
                "<int:pk>/cetak/suket/",
                view(self.suket_print_view),
                name="registry_cardapplication_print_suket",
            ),
            *super().get_urls(),
        ]

    def _application(self, request, pk: int, document: str) -> CardApplication:
        if not may_print(request.user, document):
            raise PermissionDenied
        return get_object_or_404(
            CardApplication.objects.select_related("resident__village__district"), pk=pk
        )

    def receipt_print_view(self, request, pk: int):
        application = self._application(request, pk, RECEIPT)
        context = {
            "application": application,
            "resident": application.resident,
            "old_card_needed": application.kind in OLD_CARD_RETURNED,
            "reprint": _print_record(request, application, RECEIPT),
            "back": reverse("admin:registry_cardapplication_change", args=[application.pk]),
        }
        return TemplateResponse(request, "admin/registry/documents/receipt.html", context)

    def suket_print_view(self, request, pk: int):
        application = self._application(request, pk, SUKET)
        # A returned suket ended with the card: only the one still valid is printed.
        suket = get_object_or_404(
            Suket.objects.select_related("issued_by"), application=application, returned_at=None
        )
        context = {
            "application": application,
            "resident": application.resident,
            "suket": suket,
            "reprint": _print_record(request, suket, SUKET),
            "back": reverse("admin:registry_cardapplication_change", args=[application.pk]),
        }
        return TemplateResponse(request, "admin/registry/documents/suket.html", context)
