"""The log of the public status lookup (/cek-ktp/): when, from where, which NIK (as a keyed
hash only) and what the resident was told. Append-only, read by the Kepala Seksi."""

from django.db import models
from django.db.models import Q

from dukcapil.append_only import AppendOnlyModel


class LookupOutcome(models.TextChoices):
    # No application, an unknown NIK and a wrong birth date are one answer: the public page
    # must not tell which NIKs exist, so neither does its log.
    NONE = "none", "Belum ada permohonan / data tidak cocok"
    PROCESSING = "processing", "Sedang diproses"
    READY = "ready", "Siap diambil"
    ISSUED = "issued", "Sudah diserahkan"
    ADDRESS_LIMIT = "address_limit", "Ditolak: batas per alamat IP"
    NIK_LIMIT = "nik_limit", "Ditolak: batas per NIK"


class StatusLookup(AppendOnlyModel):
    at = models.DateTimeField("waktu")
    address = models.GenericIPAddressField("alamat IP", null=True, blank=True)
    # HMAC-SHA256 under DUKCAPIL_LOOKUP_HASH_KEY: hashing every NIK of a kelurahan does not
    # reverse it without the key.
    nik_hash = models.CharField("NIK (hash berkunci)", max_length=64)
    outcome = models.CharField("jawaban", max_length=15, choices=LookupOutcome.choices)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = "log cek status KTP-el"
        verbose_name_plural = "log cek status KTP-el"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["at", "id"], name="lookup_at_id_idx"),
            models.Index(fields=["nik_hash", "at"], name="lookup_nik_at_idx"),
            models.Index(fields=["address", "at"], name="lookup_address_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=LookupOutcome.values), name="lookup_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(nik_hash__regex=r"^[0-9a-f]{64}$"), name="lookup_nik_hash_hex"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_outcome_display()}"
