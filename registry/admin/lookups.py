"""The log of the public status lookup: read by the Kepala Seksi, edited by nobody."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address

from dukcapil.admin_mixins import ReadOnlyAdminMixin
from dukcapil.paginators import LargeListMixin
from dukcapil.privacy import exact_number
from registry.models import StatusLookup
from registry.public.services import nik_hash


@admin.register(StatusLookup)
class StatusLookupAdmin(ReadOnlyAdminMixin, LargeListMixin, admin.ModelAdmin):
    list_display = ["at", "address", "outcome", "nik_hash"]
    list_display_links = None
    list_filter = ["outcome"]
    search_fields = ["address"]
    search_help_text = "Cari dengan NIK (16 digit, persis) atau alamat IP lengkap."
    fields = ["at", "address", "outcome", "nik_hash"]
    ordering = ["-at", "-id"]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        # The log keeps only the NIK's keyed hash: a typed NIK is hashed the same way.
        if number := exact_number(term):
            return queryset.filter(nik_hash=nik_hash(number)), False
        try:
            validate_ipv46_address(term)
        except ValidationError:
            self.message_user(request, self.search_help_text, messages.WARNING)
            return queryset.none(), False
        return queryset.filter(address=term), False
