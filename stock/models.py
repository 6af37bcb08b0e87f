"""Blank cards (blanko KTP-el) from receipt to use or destruction, and the ledger that proves it.

Every change of a blank's place or status writes one ``Movement`` row for that blank, in the
same transaction; stock per location and status is therefore derivable from the ledger alone
and must always equal the blanks' own rows (``manage.py stock_verify`` proves it).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from dukcapil.append_only import AppendOnlyModel


class LocationKind(models.TextChoices):
    STORE = "gudang", "Gudang"
    PRINTER = "printer", "Mesin cetak"
    OTHER = "other", "Lainnya"


class Location(models.Model):
    """A store room (gudang), a printer station or another place where blanks are kept."""

    kind = models.CharField("jenis", max_length=10, choices=LocationKind.choices)
    name = models.CharField("nama", max_length=80, unique=True)
    active = models.BooleanField("aktif", default=True)

    class Meta:
        verbose_name = "lokasi blanko"
        verbose_name_plural = "lokasi blanko"
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LocationKind.values), name="location_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    CENTRAL = "apbn", "Alokasi pusat (APBN)"
    CITY = "apbd", "Hibah/pengadaan daerah (APBD)"
    PROVINCE = "provinsi", "Transfer dari provinsi"


class BudgetLine(models.Model):
    """Money set aside for blanks, e.g. Rp 200.000.000 for 15.000 blanks in 2020."""

    year = models.PositiveSmallIntegerField("tahun anggaran")
    source = models.CharField("sumber", max_length=10, choices=Source.choices)
    name = models.CharField("uraian", max_length=120)
    amount = models.PositiveBigIntegerField("pagu (Rp)")
    planned_quantity = models.PositiveIntegerField("jumlah rencana (keping)")

    class Meta:
        verbose_name = "mata anggaran blanko"
        verbose_name_plural = "mata anggaran blanko"
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_quantity__gt=0), name="budgetline_quantity_positive"
            ),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="budgetline_source"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def unit_price(self) -> int:
        """Planned price per blank in whole Rupiah, rounded half up."""
        return (self.amount + self.planned_quantity // 2) // self.planned_quantity


class Receipt(models.Model):
    """A batch of blanks received, with its handover document (BAST)."""

    received_on = models.DateField("tanggal terima")
    source = models.CharField("sumber", max_length=10, choices=Source.choices)
    reference = models.CharField("nomor BAST", max_length=80)
    quantity = models.PositiveIntegerField("jumlah (keping)")
    serial_first = models.CharField("nomor seri awal", max_length=32)
    serial_last = models.CharField("nomor seri akhir", max_length=32)
    is_range = models.BooleanField("rentang berurutan", default=True)
    unit_cost = models.PositiveIntegerField("harga satuan (Rp)", default=0)
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipts",
        verbose_name="mata anggaran",
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name="diterima di"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="diterima oleh",
    )
    created_at = models.DateTimeField("dicatat", default=timezone.now)
    voided_at = models.DateTimeField("dibatalkan", null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dibatalkan oleh",
    )
    void_reason = models.TextField("alasan pembatalan", blank=True)

    class Meta:
        verbose_name = "penerimaan blanko"
        verbose_name_plural = "penerimaan blanko"
        ordering = ["-received_on", "-pk"]
        permissions = [("void_receipt", "Dapat membatalkan penerimaan blanko yang salah catat")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="receipt_quantity_positive"),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="receipt_source"),
            # A void names who, when and why; a receipt in force has none of them.
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True, voided_by__isnull=True, void_reason="")
                | (Q(voided_at__isnull=False, voided_by__isnull=False) & ~Q(void_reason="")),
                name="receipt_void_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.quantity} keping)"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @property
    def serials_display(self) -> str:
        joiner = "–" if self.is_range else " … "
        return f"{self.serial_first}{joiner}{self.serial_last}"


class BlankStatus(models.TextChoices):
    IN_STOCK = "in_stock", "Tersedia"
    USED = "used", "Terpakai"
    SPOILED = "spoiled", "Rusak"
    DESTROYED = "destroyed", "Dimusnahkan"
    LOST = "lost", "Hilang"
    # Recorded by a mistaken receipt and taken out again: never in the office's stock.
    VOIDED = "voided", "Dibatalkan"


class SpoilReason(models.TextChoices):
    ENCODING = "gagal_encode", "Gagal encode"
    PHYSICAL = "rusak_fisik", "Rusak fisik"
    PRINTING = "gagal_cetak", "Gagal cetak"
    DATA_CHANGE = "perubahan_data", "Perubahan data"
    NO_CHIP = "tanpa_chip", "Tanpa chip"


_WITH_REASON = [BlankStatus.SPOILED, BlankStatus.DESTROYED]


class Blank(models.Model):
    serial = models.CharField("nomor seri", max_length=32, db_index=True)
    receipt = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, related_name="blanks", verbose_name="penerimaan"
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="blanks", verbose_name="lokasi"
    )
    status = models.CharField(
        "status", max_length=10, choices=BlankStatus.choices, default=BlankStatus.IN_STOCK
    )
    spoil_reason = models.CharField(
        "alasan rusak", max_length=16, choices=SpoilReason.choices, blank=True
    )
    destruction = models.ForeignKey(
        "Destruction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="blanks",
        verbose_name="berita acara pemusnahan",
    )

    class Meta:
        verbose_name = "blanko"
        verbose_name_plural = "blanko"
        ordering = ["serial"]
        indexes = [models.Index(fields=["location", "status"], name="blank_location_status")]
        permissions = [
            ("transfer_blank", "Dapat memindahkan blanko antarlokasi"),
            ("spoil_blank", "Dapat mencatat blanko rusak"),
            ("spoil_stored_blank", "Dapat mencatat blanko rusak di gudang (bukan mesin cetak)"),
            ("adjust_stock", "Dapat mengoreksi stok blanko"),
        ]
        constraints = [
            # A voided receipt's serials may be received again, correctly this time.
            models.UniqueConstraint(
                fields=["serial"],
                condition=~Q(status=BlankStatus.VOIDED),
                name="blank_serial_unique_unless_voided",
            ),
            models.CheckConstraint(
                condition=Q(status__in=BlankStatus.values), name="blank_status_valid"
            ),
            # A spoiled or destroyed blank says why it was spoiled; no other blank has a reason.
            models.CheckConstraint(
                condition=(Q(status__in=_WITH_REASON) & ~Q(spoil_reason=""))
                | (~Q(status__in=_WITH_REASON) & Q(spoil_reason="")),
                name="blank_spoil_reason_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(status=BlankStatus.DESTROYED, destruction__isnull=False)
                | (~Q(status=BlankStatus.DESTROYED) & Q(destruction__isnull=True)),
                name="blank_destroyed_on_record",
            ),
        ]

    def __str__(self) -> str:
        return self.serial


class MovementKind(models.TextChoices):
    RECEIVE = "receive", "Terima"
    TRANSFER = "transfer", "Pindah"
    USE = "use", "Pakai (cetak)"
    SPOIL = "spoil", "Rusak"
    DESTROY = "destroy", "Musnah"
    ADJUST = "adjust", "Koreksi"
    VOID = "void", "Batal terima"


class AppendOnlyError(Exception):
    """The ledger is never changed; corrections are new entries."""


class MovementQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(
            "Buku besar blanko tidak dapat diubah; catat koreksi sebagai entri baru."
        )

    def delete(self):
        raise AppendOnlyError("Buku besar blanko tidak dapat dihapus.")

    # bulk_update goes through update(); _raw_delete is what Collector uses for fast deletes.
    def _raw_delete(self, using):
        raise AppendOnlyError("Buku besar blanko tidak dapat dihapus.")


def _kind(kind, from_status, to_status, **extra) -> Q:
    return Q(kind=kind, from_status=from_status, to_status=to_status, **extra)


class Movement(models.Model):
    """One blank changing place or status: the append-only ledger (buku besar blanko)."""

    kind = models.CharField("jenis", max_length=10, choices=MovementKind.choices)
    blank = models.ForeignKey(
        Blank, on_delete=models.PROTECT, related_name="movements", verbose_name="blanko"
    )
    from_location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dari lokasi",
    )
    from_status = models.CharField(
        "dari status", max_length=10, choices=BlankStatus.choices, blank=True
    )
    to_location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name="ke lokasi"
    )
    to_status = models.CharField("ke status", max_length=10, choices=BlankStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="petugas"
    )
    at = models.DateTimeField("waktu", default=timezone.now, db_index=True)
    reference = models.CharField("referensi", max_length=120, blank=True)
    note = models.TextField("catatan", blank=True)

    objects = MovementQuerySet.as_manager()

    class Meta:
        verbose_name = "mutasi blanko"
        verbose_name_plural = "buku besar blanko"
        ordering = ["-at", "-pk"]
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["kind", "at"], name="movement_kind_at"),
            models.Index(fields=["blank", "-id"], name="movement_blank_latest"),
        ]
        permissions = [("export_movement", "Dapat mengekspor buku besar dan laporan blanko")]
        constraints = [
            # Each kind moves a blank between exactly the statuses it names.
            models.CheckConstraint(
                condition=_kind(
                    MovementKind.RECEIVE, "", BlankStatus.IN_STOCK, from_location__isnull=True
                )
                | (
                    _kind(MovementKind.TRANSFER, BlankStatus.IN_STOCK, BlankStatus.IN_STOCK)
                    & ~Q(from_location=F("to_location"))
                )
                | _kind(
                    MovementKind.USE,
                    BlankStatus.IN_STOCK,
                    BlankStatus.USED,
                    from_location=F("to_location"),
                )
                | _kind(
                    MovementKind.SPOIL,
                    BlankStatus.IN_STOCK,
                    BlankStatus.SPOILED,
                    from_location=F("to_location"),
                )
                | _kind(
                    MovementKind.DESTROY,
                    BlankStatus.SPOILED,
                    BlankStatus.DESTROYED,
                    from_location=F("to_location"),
                )
                | (
                    Q(kind=MovementKind.ADJUST, from_location__isnull=False)
                    & ~Q(note="")
                    & ~Q(from_status="")
                )
                | (
                    _kind(
                        MovementKind.VOID,
                        BlankStatus.IN_STOCK,
                        BlankStatus.VOIDED,
                        from_location=F("to_location"),
                    )
                    & ~Q(note="")
                ),
                name="movement_kind_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.blank_id} {self.at:%d-%m-%Y %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Entri buku besar blanko tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Entri buku besar blanko tidak dapat dihapus.")


class Destruction(AppendOnlyModel):
    """Berita acara pemusnahan: spoiled blanks and returned old cards destroyed on record.

    Evidence: written once, then signed once by the Kepala Seksi. The blanks it destroyed point
    at it from their own rows, so nothing here changes when they are attached.
    """

    fill_once = ("approved_by", "approved_at")

    destroyed_on = models.DateField("tanggal pemusnahan")
    method = models.CharField("cara pemusnahan", max_length=60, default="Dibakar")
    place = models.CharField("tempat", max_length=120, blank=True)
    witnesses = models.TextField(
        "saksi", help_text="Satu saksi per baris: nama — jabatan. Paling sedikit dua saksi."
    )
    returned_old_cards = models.PositiveIntegerField("KTP-el lama yang dimusnahkan", default=0)
    note = models.TextField("catatan", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="dibuat"
    )
    created_at = models.DateTimeField("dicatat", default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="disetujui oleh",
    )
    approved_at = models.DateTimeField("disetujui", null=True, blank=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = "berita acara pemusnahan"
        verbose_name_plural = "berita acara pemusnahan"
        ordering = ["-destroyed_on", "-pk"]
        permissions = [("approve_destruction", "Dapat menyetujui berita acara pemusnahan")]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="destruction_approval_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Pemusnahan {self.destroyed_on:%d-%m-%Y} (no. {self.pk})"

    @property
    def witness_list(self) -> list[str]:
        return [line.strip() for line in self.witnesses.splitlines() if line.strip()]


class DailyClosing(models.Model):
    """Stok opname: one location's blanks in stock for one day, counted and approved."""

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="closings", verbose_name="lokasi"
    )
    day = models.DateField("tanggal")
    opening = models.IntegerField("stok awal")
    received = models.IntegerField("diterima")
    transferred_in = models.IntegerField("pindahan masuk")
    transferred_out = models.IntegerField("pindahan keluar")
    used = models.IntegerField("terpakai")
    spoiled = models.IntegerField("rusak")
    adjusted = models.IntegerField("koreksi (bersih)")
    closing = models.IntegerField("stok akhir (buku)")
    physical_count = models.PositiveIntegerField("hitung fisik")
    difference = models.IntegerField("selisih")
    note = models.TextField("catatan", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="dibuat"
    )
    created_at = models.DateTimeField("dicatat", default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="disetujui oleh",
    )
    approved_at = models.DateTimeField("disetujui", null=True, blank=True)

    class Meta:
        verbose_name = "tutup harian (stok opname)"
        verbose_name_plural = "tutup harian (stok opname)"
        ordering = ["-day", "location"]
        permissions = [("approve_dailyclosing", "Dapat menyetujui tutup harian stok blanko")]
        constraints = [
            models.UniqueConstraint(fields=["location", "day"], name="dailyclosing_once_a_day"),
            models.CheckConstraint(
                condition=Q(
                    closing=F("opening")
                    + F("received")
                    + F("transferred_in")
                    - F("transferred_out")
                    - F("used")
                    - F("spoiled")
                    + F("adjusted")
                ),
                name="dailyclosing_balances",
            ),
            models.CheckConstraint(
                condition=Q(difference=F("physical_count") - F("closing")),
                name="dailyclosing_difference",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="dailyclosing_approval_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.day:%d-%m-%Y}"

    def save(self, *args, **kwargs):
        # Once approved, a closing is the office's signed record: it never changes again.
        if self.pk and DailyClosing.objects.filter(pk=self.pk, approved_at__isnull=False).exists():
            raise ValidationError("Tutup harian yang sudah disetujui tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_approved:
            raise ValidationError("Tutup harian yang sudah disetujui tidak dapat dihapus.")
        return super().delete(*args, **kwargs)

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None
