"""The audit log for supervisors: searchable by user, record and date; nobody can edit it.
The outbox of messages to residents, with each attempt, read-only but for "Kirim ulang"."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from dukcapil import admin_users  # noqa: F401  (the account and role pages)
from dukcapil.admin_mixins import ReadOnlyAdminMixin
from dukcapil.models import AuditEntry, DeliveryAttempt, OutboxMessage
from dukcapil.outbox import RESEND_PERMISSION, message_requeue
from dukcapil.paginators import LargeTablePaginator
from dukcapil.privacy import mask_phone, sees_full


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


class DeliveryAttemptInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DeliveryAttempt
    fields = ["at", "gateway", "succeeded", "detail"]
    readonly_fields = fields
    extra = 0


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A phone number is personal data: the list masks it, the page shows it in full only to
    roles that see protected data in full."""

    list_display = ["created_at", "kind", "reference", "phone_masked", "status", "tries"]
    list_filter = ["status", "kind"]
    date_hierarchy = "created_at"
    search_fields = ["=reference"]
    search_help_text = "Cari dengan nomor rujukan (persis), misalnya nomor permohonan."
    fields = [
        "kind",
        "reference",
        "phone",
        "body",
        "status",
        "tries",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    inlines = [DeliveryAttemptInline]
    actions = ["requeue_selected"]
    paginator = LargeTablePaginator
    show_full_result_count = False
    list_per_page = 100

    def get_fields(self, request, obj=None):
        if sees_full(request.user):
            return self.fields
        return ["phone_masked" if name == "phone" else name for name in self.fields]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="nomor tujuan")
    def phone_masked(self, obj):
        return mask_phone(obj.phone)

    def has_resend_permission(self, request) -> bool:
        return request.user.has_perm(RESEND_PERMISSION)

    @admin.action(description="Kirim ulang pesan terpilih", permissions=["resend"])
    def requeue_selected(self, request, queryset):
        requeued = 0
        for message in queryset.order_by("pk"):
            try:
                message_requeue(message=message, actor=request.user)
                requeued += 1
            except (ValidationError, PermissionDenied) as exc:
                text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, text, messages.WARNING)
        if requeued:
            self.message_user(request, f"{requeued} pesan dikirim ulang.", messages.SUCCESS)
