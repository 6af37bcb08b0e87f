"""The base's own records: the audit log (append-only) and the outbox of messages to residents."""

from django.conf import settings
from django.db import models

from dukcapil.append_only import AppendOnlyModel


class AuditAction(models.TextChoices):
    LOGIN = "login", "Masuk"
    LOGOUT = "logout", "Keluar"
    LOGIN_FAILED = "login_failed", "Gagal masuk"
    LOCKOUT = "lockout", "Akun dikunci"
    VIEW_FULL_NIK = "view_full_nik", "Melihat NIK lengkap"
    SEARCH_NIK = "search_nik", "Mencari dengan NIK"
    EXPORT = "export", "Ekspor"
    IMPORT = "import", "Impor"
    USER_CHANGE = "user_change", "Perubahan akun"
    GROUP_CHANGE = "group_change", "Perubahan peran"
    REFUSED = "refused", "Permintaan ditolak"


class AuditEntry(models.Model):
    """One attributable event. PostgreSQL refuses UPDATE and DELETE of these rows.

    ``actor`` is empty only for events without a known account (a failed login for a name
    that does not exist); ``actor_username`` keeps the name typed or the account's name even
    if the account is renamed later.
    """

    at = models.DateTimeField("waktu", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pengguna",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField("nama pengguna", max_length=150, db_index=True)
    action = models.CharField("tindakan", max_length=20, choices=AuditAction.choices)
    object_type = models.CharField("jenis data", max_length=100, blank=True)
    object_id = models.CharField("ID data", max_length=64, blank=True)
    object_repr = models.CharField("data", max_length=200, blank=True)
    detail = models.JSONField("rincian", default=dict, blank=True)
    ip = models.GenericIPAddressField("alamat IP", null=True, blank=True)

    class Meta:
        verbose_name = "log audit"
        verbose_name_plural = "log audit"
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="audit_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor_username} · {self.get_action_display()} · {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Log audit tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Log audit tidak dapat dihapus.")


# The outbox (dukcapil.outbox): messages to residents, written in the transaction of the event
# they announce and sent afterwards by a worker, each attempt kept as evidence.


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Menunggu dikirim"
    RETRYING = "retrying", "Gagal, akan dicoba lagi"
    SENT = "sent", "Terkirim"
    FAILED = "failed", "Gagal, tidak dicoba lagi"


DUE_STATUSES = (OutboxStatus.PENDING, OutboxStatus.RETRYING)


class OutboxMessage(models.Model):
    """One message to one phone number. ``dedupe_key``, when given, is unique: a second
    enqueue of the same (record, kind) is ignored, so a reminder goes out once."""

    kind = models.CharField("jenis", max_length=30)
    phone = models.CharField("nomor tujuan", max_length=20)
    body = models.TextField("isi pesan")
    reference = models.CharField("rujukan", max_length=64, blank=True)
    dedupe_key = models.CharField("kunci unik", max_length=100, blank=True)
    status = models.CharField(
        "status", max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    # Attempts since the message was (re)queued; the backoff and the give-up count read it.
    tries = models.PositiveSmallIntegerField("percobaan", default=0)
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    next_attempt_at = models.DateTimeField("coba kirim pada")
    sent_at = models.DateTimeField("terkirim", null=True, blank=True)
    last_error = models.TextField("galat terakhir", blank=True)

    class Meta:
        verbose_name = "pesan keluar"
        verbose_name_plural = "pesan keluar"
        ordering = ["-created_at", "-pk"]
        permissions = [("resend_outboxmessage", "Can re-queue a failed message")]
        indexes = [
            # The worker's claim: the due messages, oldest first.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(status__in=DUE_STATUSES),
                name="outbox_due_idx",
            ),
            models.Index(fields=["status", "-created_at"], name="outbox_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="outbox_dedupe_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=OutboxStatus.values), name="outbox_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status=OutboxStatus.SENT, sent_at__isnull=False)
                | (~models.Q(status=OutboxStatus.SENT) & models.Q(sent_at__isnull=True)),
                name="outbox_sent_at_iff_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.reference or self.pk}"


class DeliveryAttempt(AppendOnlyModel):
    """One try to hand a message to the gateway, and what came of it (append-only)."""

    message = models.ForeignKey(
        OutboxMessage,
        on_delete=models.PROTECT,
        related_name="attempts",
        verbose_name="pesan",
    )
    at = models.DateTimeField("waktu", auto_now_add=True)
    gateway = models.CharField("gateway", max_length=20)
    succeeded = models.BooleanField("berhasil")
    detail = models.TextField("jawaban atau galat", blank=True)

    class Meta:
        verbose_name = "percobaan kirim"
        verbose_name_plural = "percobaan kirim"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["message", "at"], name="attempt_message_at_idx")]

    def __str__(self) -> str:
        return f"{self.message} · {'berhasil' if self.succeeded else 'gagal'}"
