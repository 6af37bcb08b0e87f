"""The queue in the admin: the desks (reference data) and the day's tickets with their log."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from dukcapil.admin_mixins import ReadOnlyAdminMixin
from registry.models import QueueTicket, ServiceDesk, TicketEvent


@admin.register(ServiceDesk)
class ServiceDeskAdmin(admin.ModelAdmin):
    list_display = ["__str__", "service", "post", "active", "panel"]
    list_filter = ["service", "active"]

    @admin.display(description="panel panggilan")
    def panel(self, obj):
        url = reverse("ticket_desk", args=[obj.number])
        return format_html('<a href="{}">Buka</a>', url)


class TicketEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TicketEvent
    fields = ["at", "kind", "service", "desk", "actor", "assignment"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "desk", "actor", "assignment__staff", "assignment__shift_type", "assignment__post"
            )
        )


@admin.register(QueueTicket)
class QueueTicketAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # The NIK a ticket may carry is for the one-ticket rule only: no page shows it.
    fields = ["code", "day", "service", "status", "desk", "issued_at", "called_at", "calls"]
    readonly_fields = fields
    list_display = ["code", "day", "service", "status", "desk", "issued_at", "calls"]
    list_filter = ["day", "service", "status", "desk"]
    date_hierarchy = "day"
    inlines = [TicketEventInline]
    list_select_related = ["desk"]

    @admin.display(description="nomor", ordering="number")
    def code(self, obj):
        return obj.code
