"""The queue's pages.

Public (no sign-in, no personal data): the kiosk that hands out numbers, the printable ticket,
the waiting-room display and the small JSON it polls every second. For the clerks, behind the
admin's sign-in (desk_urls.py): the list of desks with a form to take a number for a resident,
and one desk's call panel. Every change is one service call; its refusal becomes a message.
"""

import time
import uuid

from django.conf import settings
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from dukcapil.admin_services import BUSY_MESSAGE, is_contention
from dukcapil.audit import client_ip
from registry.models import KIOSK_SERVICES, QueueTicket, ServiceDesk, TicketService
from registry.selectors.tickets import desk_panel, desks_for, display_board, tickets_ahead
from registry.services.tickets import (
    CALL_PERMISSION,
    ISSUE_PERMISSION,
    ticket_call_next,
    ticket_issue,
    ticket_recall,
    ticket_serve,
    ticket_skip,
    ticket_transfer,
)
from registry.tickets.forms import ClerkIssueForm, DeskAction, KioskForm

PAPER_WIDTHS = ("58", "80")
# A kiosk page's token is remembered this long; a second tap waits up to 2 s for the first.
KIOSK_PAGE_SECONDS = 600
KIOSK_WAIT_STEPS, KIOSK_WAIT_STEP_SECONDS = 20, 0.1


def _refusal(call):
    """Run one service call; return (result, None) or (None, the reason in Indonesian)."""
    try:
        return call(), None
    except ValidationError as exc:
        return None, " ".join(exc.messages)
    except OperationalError as exc:
        if not is_contention(exc):
            raise
        return None, BUSY_MESSAGE


# Public pages


@never_cache
def kiosk(request):
    form = KioskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = f"ticket-kiosk-page:{data.pop('token') or uuid.uuid4()}"
        if not cache.add(key, 0, timeout=KIOSK_PAGE_SECONDS):
            return _first_tap(request, key, form)
        address = client_ip(request) or ""
        ticket, reason = _refusal(lambda: ticket_issue(address=address, **data))
        if ticket is not None:
            cache.set(key, ticket.pk, timeout=KIOSK_PAGE_SECONDS)
            return redirect(f"{reverse('ticket_print', args=[ticket.pk])}?kios=1")
        cache.delete(key)  # refused: the same page may try again
        form.add_error(None, reason)
    return _kiosk_page(request, form)


def _kiosk_page(request, form: KioskForm):
    context = {"form": form, "services": KIOSK_SERVICES}
    return render(request, "registry/tickets/kiosk.html", context)


def _first_tap(request, key: str, form: KioskForm):
    """A second tap on one kiosk page: show the number the first tap took, once it has one."""
    for _ in range(KIOSK_WAIT_STEPS):
        if pk := cache.get(key):
            return redirect(f"{reverse('ticket_print', args=[pk])}?kios=1")
        time.sleep(KIOSK_WAIT_STEP_SECONDS)
    form.add_error(None, "Nomor antrean sedang dibuat; tunggu sebentar, jangan ditekan lagi.")
    return _kiosk_page(request, form)


@require_safe
@never_cache
def ticket_print(request, pk: int):
    # The ticket shows its number, service, time and place in the queue: never its NIK.
    ticket = get_object_or_404(QueueTicket, pk=pk)
    paper = request.GET.get("kertas")
    context = {
        "ticket": ticket,
        "service": TicketService(ticket.service).label,
        "ahead": tickets_ahead(ticket),
        "paper": paper if paper in PAPER_WIDTHS else PAPER_WIDTHS[0],
        "from_kiosk": "kios" in request.GET,
    }
    return render(request, "registry/tickets/ticket.html", context)


@require_safe
def display(request):
    return render(request, "registry/tickets/display.html")


@require_safe
@cache_control(public=True, max_age=1)
def display_data(request):
    board = display_board(timezone.localdate())
    return JsonResponse({**board, "at": timezone.localtime().strftime("%H.%M")})


# Clerks' pages (wrapped in admin_view by desk_urls.py)


def _context(request, **extra) -> dict:
    return {**admin.site.each_context(request), **extra}


def desks(request):
    """The desks to call at (the clerk's own post first marked) and, posted, a number taken
    for a resident at the desk."""
    user = request.user
    if request.method == "POST":
        return _issue(request)
    if not (user.has_perm(CALL_PERMISSION) or user.has_perm(ISSUE_PERMISSION)):
        raise PermissionDenied
    all_desks, mine = desks_for(user, timezone.now())
    context = _context(
        request,
        title="Antrean",
        desks=all_desks,
        mine=mine,
        may_call=user.has_perm(CALL_PERMISSION),
        issue_form=ClerkIssueForm() if user.has_perm(ISSUE_PERMISSION) else None,
    )
    return TemplateResponse(request, "admin/registry/tickets/desks.html", context)


def _issue(request):
    form = ClerkIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pilih layanan yang tersedia.")
        return redirect("ticket_desks")
    # The service refuses (403) a user without registry.issue_ticket.
    ticket, reason = _refusal(lambda: ticket_issue(actor=request.user, **form.cleaned_data))
    if ticket is None:
        messages.error(request, reason)
        return redirect("ticket_desks")
    return redirect("ticket_print", ticket.pk)


_STEPS = {
    DeskAction.RECALL: (ticket_recall, "Nomor {ticket} dipanggil ulang."),
    DeskAction.SERVE: (ticket_serve, "Nomor {ticket} selesai dilayani."),
    DeskAction.SKIP: (ticket_skip, "Nomor {ticket} dilewati."),
    DeskAction.TRANSFER: (ticket_transfer, "Nomor {ticket} dialihkan ke antrean {service}."),
}


def _desk_step(request, desk: ServiceDesk, data: dict) -> None:
    """Carry out the button pressed; tell the clerk what happened."""
    if data["action"] == DeskAction.CALL:
        ticket, reason = _refusal(lambda: ticket_call_next(desk=desk, actor=request.user))
        wording = "Nomor {ticket} dipanggil ke " + str(desk) + "."
        if ticket is None and reason is None:
            reason = "Tidak ada yang menunggu untuk layanan ini."
    else:
        service, wording = _STEPS[data["action"]]
        arguments = {"desk": desk, "ticket": data["ticket"], "actor": request.user}
        if data["action"] == DeskAction.TRANSFER:
            arguments["service"] = data["service"]
        ticket, reason = _refusal(lambda: service(**arguments))
    if reason:
        messages.error(request, reason)
    else:
        text = wording.format(ticket=ticket.code, service=ticket.get_service_display())
        messages.success(request, text)


def desk(request, number: int):
    if not request.user.has_perm(CALL_PERMISSION):
        raise PermissionDenied
    desk = get_object_or_404(ServiceDesk, number=number, active=True)
    if request.method == "POST":
        form = DeskAction(request.POST)
        if form.is_valid():
            _desk_step(request, desk, form.cleaned_data)
        else:
            messages.error(request, " ".join(form.non_field_errors()) or "Tombol tidak dikenal.")
        return redirect("ticket_desk", desk.number)
    panel = desk_panel(desk, timezone.localdate())
    current = panel["current"]
    context = _context(
        request,
        title=f"{desk} — {desk.get_service_display()}",
        desk=desk,
        current=current,
        waiting=panel["waiting"],
        skip_after=settings.DUKCAPIL_TICKET_SKIP_AFTER_CALLS,
        may_skip=current is not None and current.calls >= settings.DUKCAPIL_TICKET_SKIP_AFTER_CALLS,
        transfer_to=[s for s in TicketService if current and s != current.service],
    )
    return TemplateResponse(request, "admin/registry/tickets/desk.html", context)
