"""Indikasi calo: the broker indicators page, and the read-only list of refused proxy attempts."""

import datetime as dt

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from dukcapil.admin_mixins import ReadOnlyAdminMixin
from dukcapil.privacy import (
    exact_number,
    mask_number,
    masked_column,
    masked_names,
    number_search,
    search_refused,
    sees_full,
)
from registry.models import HandoverRefusal
from registry.selectors.brokers import (
    off_duty_actions,
    off_duty_events,
    proxy_refusals,
    refusals_by_same_proxy,
    refused_proxies,
    shared_helpers,
    shared_phones,
)

BROKER_INDICATORS = "registry.view_broker_indicators"
DEFAULT_DAYS = 30
MAX_DAYS = 3650
LIST_LIMIT = 100  # newest rows of each detail list; the full refusal list is its own page


class SameProxyFilter(admin.SimpleListFilter):
    """Reached from the indicators page, which names a would-be collector by one refusal of
    theirs, so that the NIK never appears in an address."""

    title = "pengambil"
    parameter_name = "pengambil"

    def lookups(self, request, model_admin):
        value = self.value()
        if value and value.isdigit():
            return [(value, f"Sama dengan penolakan #{value}")]
        return []

    def queryset(self, request, queryset):
        if self.value():
            return refusals_by_same_proxy(queryset, int(self.value()))
        return queryset


@admin.register(HandoverRefusal)
class HandoverRefusalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Refused proxy attempts are evidence: nobody adds, changes or deletes them."""

    list_display = [
        "at",
        "application_link",
        "resident_name",
        "proxy_name",
        "proxy_nik",
        "reason",
        "actor",
    ]
    list_display_links = None
    list_filter = [SameProxyFilter]
    list_select_related = ["application__resident", "actor"]
    search_fields = ["proxy_name"]
    search_help_text = "Cari dengan NIK pengambil (16 digit, persis) atau sebagian namanya."
    fields = ["at", "application", "actor", "proxy_name", "proxy_nik", "reason"]
    change_list_template = "admin/registry/handoverrefusal/change_list.html"

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if number := exact_number(term):
            try:
                return number_search(request, queryset, number, ["proxy_nik"]), False
            except ValidationError as exc:
                return search_refused(self, request, queryset, exc), False
        if term:
            return queryset.filter(proxy_name__icontains=term), False
        return queryset, False

    def get_list_display(self, request):
        return masked_names(request.user, self.list_display)

    def get_fields(self, request, obj=None):
        return masked_names(request.user, self.fields)

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="permohonan", ordering="application_id")
    def application_link(self, obj):
        url = reverse("admin:registry_cardapplication_change", args=[obj.application_id])
        return format_html('<a href="{}">{}</a>', url, obj.application.number)

    @admin.display(description="pemilik kartu", ordering="application__resident__full_name")
    def resident_name(self, obj):
        return obj.application.resident.full_name

    proxy_nik_masked = masked_column("NIK pengambil", lambda refusal: refusal.proxy_nik)

    def get_urls(self):
        return [
            path(
                "indikasi-calo/",
                self.admin_site.admin_view(self.broker_indicators_view),
                name="registry_broker_indicators",
            ),
            *super().get_urls(),
        ]

    def broker_indicators_view(self, request):
        if not request.user.has_perm(BROKER_INDICATORS):
            raise PermissionDenied
        days = _days(request.GET.get("hari", ""))
        since = timezone.now() - dt.timedelta(days=days)
        actor = request.GET.get("petugas", "")
        actor_id = int(actor) if actor.isdigit() else None
        nik = (lambda value: value) if sees_full(request.user) else mask_number
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Indikasi calo",
            "days": days,
            "limit": LIST_LIMIT,
            "phones": shared_phones(since=since),
            "helpers": shared_helpers(since=since),
            "proxies": [(group, nik(group.nik)) for group in refused_proxies(since=since)],
            "refusals": [
                (refusal, nik(refusal.proxy_nik))
                for refusal in proxy_refusals(since=since)[:LIST_LIMIT]
            ],
            "off_duty": off_duty_actions(since=since),
            "off_duty_events": off_duty_events(since=since, actor_id=actor_id)[:LIST_LIMIT],
            "actor_id": actor_id,
        }
        return TemplateResponse(request, "admin/registry/brokers.html", context)


def _days(value: str) -> int:
    """The window asked for in days, or the default for anything that is not a sane number."""
    if value.isdigit() and 1 <= int(value) <= MAX_DAYS:
        return int(value)
    return DEFAULT_DAYS
