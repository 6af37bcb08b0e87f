"""Permohonan KTP-el: the application, its event log, its berkas, suket and the campaign."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from dukcapil.append_only import AppendOnlyModel
from registry.models.residents import Resident


class ApplicationKind(models.TextChoices):
    NEW = "baru", "Baru (pemula)"
    MOVED_IN = "pindah_datang", "Pindah datang"
    DATA_CHANGE = "perubahan_data", "Perubahan data"
    LOST = "hilang", "Hilang"
    DAMAGED = "rusak", "Rusak"
    OUT_OF_DOMICILE = "luar_domisili", "Luar domisili"
    FOREIGNER = "wna_itap", "WNA pemegang ITAP"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Berkas diterima"
    VERIFIED = "verified", "Berkas lengkap"
    RECORDED = "recorded", "Sudah rekam"
    PRINT_READY = "print_ready", "Siap cetak (PRR)"
    PRINTED = "printed", "Tercetak, menunggu diambil"
    ISSUED = "issued", "Diserahkan"
    REJECTED = "rejected", "Ditolak"
    DUPLICATE = "duplicate", "Data ganda (menunggu penyelesaian)"
    ENROLL_FAILED = "enroll_failed", "Gagal rekam"
    CANCELLED = "cancelled", "Dibatalkan"


CLOSED_STATUSES = (
    ApplicationStatus.ISSUED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.CANCELLED,
)
OPEN_STATUSES = tuple(s for s in ApplicationStatus if s not in CLOSED_STATUSES)
CARD_STATUSES = (ApplicationStatus.PRINTED, ApplicationStatus.ISSUED)
# Recorded, printed or handed over here: the applications the kepemilikan KTP-el report counts.
STAMPED = Q(recorded_at__isnull=False) | Q(printed_at__isnull=False) | Q(issued_at__isnull=False)
# The statuses of the recording desk's list (registry.lifecycle.DESK_STATUSES), which an
# index of its own serves.
RECORDING_DESK_STATUSES = (
    ApplicationStatus.VERIFIED,
    ApplicationStatus.RECORDED,
    ApplicationStatus.ENROLL_FAILED,
    ApplicationStatus.DUPLICATE,
)


# Consecutive stamps of the lifecycle, between which the lead times are measured.
LEAD_STAMPS = (
    ("submitted_at", "recorded_at"),
    ("recorded_at", "print_ready_at"),
    ("print_ready_at", "printed_at"),
    ("printed_at", "issued_at"),
)


class VerificationMethod(models.TextChoices):
    FINGERPRINT = "sidik_jari", "Sidik jari cocok"
    FACE = "wajah", "Wajah cocok"
    DOCUMENT = "dokumen_asli", "Dokumen asli"


class CardApplication(models.Model):
    """One request for an e-KTP, from berkas to the card in the resident's hand."""

    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="applications", verbose_name="penduduk"
    )
    kind = models.CharField("jenis permohonan", max_length=15, choices=ApplicationKind.choices)
    status = models.CharField(
        "status", max_length=15, choices=ApplicationStatus.choices, db_index=True
    )
    applicant_present = models.BooleanField("pemohon hadir sendiri", default=False)
    phone = models.CharField("nomor telepon kontak", max_length=20, blank=True)
    helper_name = models.CharField(
        "pendamping",
        max_length=100,
        blank=True,
        help_text="Nama orang yang mengantar atau membantu pemohon, bila ada.",
    )
    loaded_from_siak = models.BooleanField(
        "dimuat dari SIAK",
        default=False,
        help_text="Status awal dari SIAK/BIP. Kartu yang sudah tercetak sebelumnya tidak memakai "
        "blanko dari sistem ini.",
    )
    blank = models.OneToOneField(
        "stock.Blank",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="card_application",
        verbose_name="blanko",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="diterima oleh",
    )
    # Denormalised from the event log for reports and queues.
    submitted_at = models.DateTimeField("diterima")
    verified_at = models.DateTimeField("berkas lengkap", null=True, blank=True)
    recorded_at = models.DateTimeField("direkam", null=True, blank=True)
    print_ready_at = models.DateTimeField("PRR", null=True, blank=True)
    printed_at = models.DateTimeField("dicetak", null=True, blank=True, db_index=True)
    issued_at = models.DateTimeField("diserahkan", null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField("ditutup", null=True, blank=True)
    # Handover (anti-calo).
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="diserahkan oleh",
    )
    verification_method = models.CharField(
        "verifikasi identitas", max_length=15, choices=VerificationMethod.choices, blank=True
    )
    proxy_name = models.CharField("diambil oleh (keluarga)", max_length=100, blank=True)
    proxy_nik = models.CharField("NIK pengambil", max_length=16, blank=True)
    old_card_collected = models.BooleanField("KTP-el lama ditarik", default=False)

    class Meta:
        verbose_name = "permohonan KTP-el"
        verbose_name_plural = "permohonan KTP-el"
        ordering = ["-submitted_at", "-id"]
        # The lists' orderings, each ending in id: SIAK-loaded applications share one
        # submitted_at, and only an index that ends in id spares sorting all of them.
        indexes = [
            models.Index(fields=["phone"], name="application_phone_idx"),
            # The supervisors' list of every application.
            models.Index(fields=["submitted_at", "id"], name="application_submitted_id_idx"),
            # A desk of one status, and any list filtered by one status.
            models.Index(
                fields=["status", "submitted_at", "id"], name="application_status_sub_id_idx"
            ),
            # The recording desk's statuses (registry.lifecycle.DESK_STATUSES).
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status__in=RECORDING_DESK_STATUSES),
                name="application_recording_idx",
            ),
            # The ready list (registry.reports.operations.ready_records) joins the queue to
            # the residents by this, in their order.
            models.Index(
                fields=["resident"],
                include=["printed_at", "submitted_at"],
                condition=Q(status=ApplicationStatus.PRINTED),
                name="application_ready_idx",
            ),
            # The kepemilikan KTP-el report (registry.reports.selectors.ownership) reads these
            # alone (PostgreSQL: without the table), not every application.
            models.Index(
                fields=["resident"],
                include=["recorded_at", "printed_at", "issued_at"],
                condition=STAMPED,
                name="application_stamped_idx",
            ),
            # The waktu-proses report (registry.reports.selectors.lead_times): each step's
            # applications in a period by the stamp that finished it, with the one before.
            *(
                models.Index(
                    fields=[until],
                    include=[since],
                    condition=Q(**{f"{since}__isnull": False, f"{until}__isnull": False}),
                    name=f"app_lead_{until[:-3]}_idx",
                )
                for since, until in LEAD_STAMPS
            ),
            # The collection queue (registry.selectors.applications.collection_queue).
            models.Index(
                Coalesce("printed_at", "submitted_at"),
                F("id"),
                condition=Q(status=ApplicationStatus.PRINTED),
                name="application_collection_idx",
            ),
        ]
        permissions = [
            ("verify_documents", "Dapat memeriksa berkas dan menolak permohonan"),
            ("record_biometrics", "Dapat menandai perekaman dan hasil pusat (PRR, ganda, gagal)"),
            ("print_card", "Dapat mencetak KTP-el"),
            ("hand_over_card", "Dapat menyerahkan KTP-el"),
            ("cancel_application", "Dapat membatalkan permohonan"),
            ("issue_suket", "Dapat menerbitkan suket"),
            ("view_broker_indicators", "Dapat melihat indikasi calo"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(status__in=OPEN_STATUSES),
                name="application_one_open_per_resident",
                violation_error_message="Penduduk ini masih memiliki permohonan yang berjalan.",
            ),
            # Biometrics are recorded once in a lifetime (re-recording after a failure
            # happens within the same application).
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(recorded_at__isnull=False),
                name="application_recorded_once",
                violation_error_message="Penduduk ini sudah pernah direkam.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ApplicationKind.values), name="application_kind_valid"
            ),
            # A blank only on a card printed here, which keeps it if the application is then
            # cancelled (the blank stays used); every card printed here has one. Cards printed
            # before this system (loaded from SIAK) have none, but a PRR loaded from SIAK is
            # printed here on a blank like any other.
            models.CheckConstraint(
                condition=(
                    Q(blank__isnull=True)
                    | Q(status__in=(*CARD_STATUSES, ApplicationStatus.CANCELLED))
                )
                & (
                    Q(blank__isnull=False) | ~Q(status__in=CARD_STATUSES) | Q(loaded_from_siak=True)
                ),
                name="application_blank_iff_printed_here",
            ),
            models.CheckConstraint(
                condition=Q(applicant_present=True) | Q(loaded_from_siak=True),
                name="application_applicant_present",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.ISSUED)
                | Q(loaded_from_siak=True)
                | (Q(handed_over_by__isnull=False) & ~Q(verification_method="")),
                name="application_issued_with_verification",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"PKTP-{self.pk:07d}" if self.pk else "PKTP-baru"


class CollectionQueueEntry(CardApplication):
    """A printed card waiting for its owner: the collection queue as its own list."""

    class Meta:
        proxy = True
        verbose_name = "antrean pengambilan KTP-el"
        verbose_name_plural = "antrean pengambilan KTP-el"


class ApplicationEvent(AppendOnlyModel):
    """One transition of one application: who, when, on which shift (append-only)."""

    application = models.ForeignKey(
        CardApplication, on_delete=models.PROTECT, related_name="events", verbose_name="permohonan"
    )
    from_status = models.CharField(
        "dari status", max_length=15, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField("ke status", max_length=15, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="petugas"
    )
    at = models.DateTimeField("waktu", db_index=True)
    assignment = models.ForeignKey(
        "shifts.Assignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="tugas jaga",
    )
    note = models.TextField("catatan", blank=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = "riwayat permohonan"
        verbose_name_plural = "riwayat permohonan"
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["application", "at"], name="event_application_at"),
            models.Index(fields=["to_status", "at"], name="event_status_at"),
        ]

    def __str__(self) -> str:
        return f"{self.application} → {self.get_to_status_display()}"


class DocumentKind(models.TextChoices):
    FAMILY_CARD = "kk", "Kartu Keluarga"
    MOVING_LETTER = "surat_pindah", "Surat keterangan pindah"
    POLICE_REPORT = "surat_kehilangan", "Surat kehilangan dari kepolisian"
    DAMAGED_CARD = "ktp_rusak", "KTP-el lama yang rusak"
    CHANGE_PROOF = "bukti_perubahan", "Akta atau bukti perubahan data"
    PASSPORT_ITAP = "paspor_itap", "Paspor dan ITAP"


class DocumentCheck(models.Model):
    """One document of the berkas: shown, and checked by whom."""

    application = models.ForeignKey(
        CardApplication,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="permohonan",
    )
    kind = models.CharField("dokumen", max_length=20, choices=DocumentKind.choices)
    present = models.BooleanField("ada", default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="diperiksa oleh",
    )
    verified_at = models.DateTimeField("diperiksa", null=True, blank=True)

    class Meta:
        verbose_name = "pemeriksaan berkas"
        verbose_name_plural = "pemeriksaan berkas"
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"], name="document_once_per_application"
            ),
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True) | Q(present=True),
                name="document_verified_only_if_present",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Suket(models.Model):
    """Surat keterangan: a temporary stand-in for the card, valid six months."""

    application = models.ForeignKey(
        CardApplication, on_delete=models.PROTECT, related_name="sukets", verbose_name="permohonan"
    )
    number = models.CharField("nomor", max_length=40, unique=True)
    issued_at = models.DateTimeField("diterbitkan")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="diterbitkan oleh",
    )
    valid_until = models.DateField("berlaku sampai")
    returned_at = models.DateTimeField("dikembalikan", null=True, blank=True)

    class Meta:
        verbose_name = "suket"
        verbose_name_plural = "suket"
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(returned_at__isnull=True),
                name="suket_one_outstanding_per_application",
                violation_error_message="Permohonan ini sudah memiliki suket yang berlaku.",
            )
        ]

    def __str__(self) -> str:
        return self.number


class HandoverRefusal(AppendOnlyModel):
    """A refused attempt to collect someone else's card: kept as a broker indicator (evidence)."""

    application = models.ForeignKey(
        CardApplication,
        on_delete=models.PROTECT,
        related_name="refusals",
        verbose_name="permohonan",
    )
    at = models.DateTimeField("waktu")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="petugas"
    )
    proxy_name = models.CharField("nama pengambil", max_length=100)
    proxy_nik = models.CharField("NIK pengambil", max_length=16, blank=True)
    reason = models.CharField("alasan ditolak", max_length=200)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = "penolakan pengambilan"
        verbose_name_plural = "penolakan pengambilan"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.proxy_name} — {self.application}"


class Campaign(models.Model):
    """The recording drive the dashboard measures progress against."""

    name = models.CharField("nama", max_length=120)
    target = models.PositiveIntegerField("target (orang)")
    start = models.DateField("mulai")
    end = models.DateField("selesai")

    class Meta:
        verbose_name = "kampanye"
        verbose_name_plural = "kampanye"
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="campaign_dates")
        ]

    def __str__(self) -> str:
        return self.name
