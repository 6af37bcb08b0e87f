"""The resident's public pages: no sign-in, phone-sized, in Indonesian."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_safe

from dukcapil.audit import client_ip
from registry.public.forms import StatusLookupForm, VillageForm
from registry.public.selectors import announcement_rows, ready_for_collection
from registry.public.services import LookupLimited, status_lookup

READY_PER_PAGE = 50
READY_MAX_AGE = 300  # seconds; the list changes with every print and handover


@never_cache
@require_http_methods(["GET", "POST"])
def status_lookup_page(request):
    # Only a POST looks anything up: a NIK in the address would land in access logs and
    # browser histories, so ?nik= on a GET is ignored.
    form = StatusLookupForm(request.POST if request.method == "POST" else None)
    context, status = {}, 200
    if form.is_bound and form.is_valid():
        try:
            context["answer"] = status_lookup(
                nik=form.cleaned_data["nik"],
                birth_date=form.cleaned_data["tanggal_lahir"],
                address=client_ip(request),
            )
        except LookupLimited as exc:
            context["limited"], status = str(exc), 429
        # The answer page never repeats the NIK or the birth date (a shared phone, a kiosk).
        form = StatusLookupForm()
    context["form"] = form
    return render(request, "registry/public/status_lookup.html", context, status=status)


@require_safe
@cache_control(public=True, max_age=READY_MAX_AGE)
def ready_list(request):
    if not settings.DUKCAPIL_PUBLIC_READY_LIST:
        raise Http404("Daftar KTP-el siap diambil tidak diumumkan di sini.")
    form = VillageForm(request.GET or None)
    context = {"form": form}
    if form.is_bound and form.is_valid():
        village = form.cleaned_data["kelurahan"]
        page = Paginator(ready_for_collection(village), READY_PER_PAGE).get_page(
            request.GET.get("halaman")
        )
        context.update(village=village, page=page, rows=announcement_rows(page.object_list))
    return render(request, "registry/public/ready_list.html", context)
