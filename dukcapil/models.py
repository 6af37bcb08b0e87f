"""The audit log: who did what to which record, kept for ever (append-only)."""

from django.conf import settings
from django.db import models


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
