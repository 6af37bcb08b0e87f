"""The audit log for supervisors: searchable by user, record and date; nobody can edit it."""

from django.contrib import admin

from dukcapil import admin_users  # noqa: F401  (the account and role pages)
from dukcapil.admin_mixins import ReadOnlyAdminMixin
from dukcapil.models import AuditEntry
from dukcapil.paginators import LargeTablePaginator


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor_username", "action", "object_type", "object_repr", "ip"]
    list_filter = ["action", "object_type"]
    date_hierarchy = "at"
    search_fields = ["=actor_username", "=object_id", "object_repr"]
    search_help_text = "Cari dengan nama pengguna atau ID data (persis), atau sebagian nama data."
    fields = [
        "at",
        "actor",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "detail",
        "ip",
    ]
    readonly_fields = fields
    paginator = LargeTablePaginator
    show_full_result_count = False
    list_per_page = 100
