"""Nomor antrean: numbered queue tickets per service, the desks (loket) that call them, and
the append-only log of every issue, call, recall, skip, serve and transfer."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from dukcapil.append_only import AppendOnlyModel


def ticket_code(prefix: str, number: int) -> str:
    """A-017: the service's letter and the day's number, as printed and called."""
    return f"{prefix}-{number:03d}"


class TicketService(models.TextChoices):
    """A queue of its own; the value is the letter printed before the number (A-017)."""

    REGISTRATION = "A", "Pendaftaran & verifikasi berkas"
    RECORDING = "B", "Perekaman"
    HANDOVER = "C", "Penyerahan KTP-el"
    CONSULTATION = "D", "Konsultasi & lainnya"


# The services a resident picks at the kiosk; recording is reached by a transfer after
# the berkas are checked, in the place the resident queued for registration.
KIOSK_SERVICES = (TicketService.REGISTRATION, TicketService.HANDOVER, TicketService.CONSULTATION)


class TicketStatus(models.TextChoices):
    WAITING = "waiting", "Menunggu"
    CALLED = "called", "Dipanggil"
    SERVED = "served", "Selesai dilayani"
    SKIPPED = "skipped", "Dilewati (tidak hadir)"


OPEN_TICKET_STATUSES = (TicketStatus.WAITING, TicketStatus.CALLED)


class ServiceDesk(models.Model):
    """A loket: its number (spoken on the display), the service it calls, the post that mans it."""

    number = models.PositiveSmallIntegerField("nomor loket", unique=True)
    service = models.CharField("layanan", max_length=1, choices=TicketService.choices)
    post = models.ForeignKey(
        "shifts.Post",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="pos jaga",
        help_text="Petugas yang bertugas di pos ini menurut jadwal dinas langsung diarahkan ke "
        "loket ini.",
    )
    active = models.BooleanField("aktif", default=True)

    class Meta:
        verbose_name = "loket"
        verbose_name_plural = "loket"
        ordering = ["number"]
        permissions = [
            ("call_ticket", "Dapat memanggil dan melayani nomor antrean di loket"),
            ("issue_ticket", "Dapat mengambilkan nomor antrean untuk penduduk"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__in=TicketService.values), name="desk_service_valid"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=99), name="desk_number_1_99"
            ),
        ]

    def __str__(self) -> str:
        return f"Loket {self.number}"


class TicketCounter(models.Model):
    """The last number issued for one service on one day (WITA): one atomic counter row."""

    day = models.DateField("tanggal")
    service = models.CharField("layanan", max_length=1, choices=TicketService.choices)
    last = models.PositiveIntegerField("nomor terakhir")

    class Meta:
        verbose_name = "penghitung antrean"
        verbose_name_plural = "penghitung antrean"
        constraints = [
            models.UniqueConstraint(fields=["day", "service"], name="ticket_counter_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d-%m-%Y} {self.service}: {self.last}"


class QueueTicket(models.Model):
    """One resident's place in a queue: number ``prefix-number`` of ``day``.

    ``prefix`` is the service the ticket was issued for and stays on it; ``service`` is the
    queue it waits in now (a transfer changes it). The order of a queue is the issue time,
    so a transferred ticket keeps its place.
    """

    day = models.DateField("tanggal")
    prefix = models.CharField("huruf", max_length=1, choices=TicketService.choices)
    number = models.PositiveIntegerField("nomor")
    service = models.CharField("layanan", max_length=1, choices=TicketService.choices)
    issued_at = models.DateTimeField("diambil")
    # Optional; never shown on a public page.
    nik = models.CharField("NIK", max_length=16, blank=True)
    status = models.CharField(
        "status", max_length=7, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    desk = models.ForeignKey(
        ServiceDesk,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name="loket",
    )
    called_at = models.DateTimeField("terakhir dipanggil", null=True, blank=True)
    calls = models.PositiveSmallIntegerField("jumlah panggilan", default=0)
    closed_at = models.DateTimeField("selesai", null=True, blank=True)

    class Meta:
        verbose_name = "nomor antrean"
        verbose_name_plural = "nomor antrean"
        ordering = ["-day", "issued_at", "id"]
        indexes = [
            # The next ticket of a queue: the oldest waiting one of the service today.
            models.Index(
                fields=["day", "service", "issued_at", "id"],
                condition=Q(status=TicketStatus.WAITING),
                name="ticket_waiting_idx",
            ),
            # The display's last calls.
            models.Index(
                fields=["day", "called_at"],
                condition=Q(called_at__isnull=False),
                name="ticket_called_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "prefix", "number"], name="ticket_number_once_per_day"
            ),
            models.UniqueConstraint(
                fields=["day", "service", "nik"],
                condition=Q(status__in=OPEN_TICKET_STATUSES) & ~Q(nik=""),
                name="ticket_one_open_per_nik",
                violation_error_message="NIK ini masih memegang nomor antrean untuk layanan "
                "yang sama hari ini.",
            ),
            # A desk calls one ticket at a time.
            models.UniqueConstraint(
                fields=["desk"],
                condition=Q(status=TicketStatus.CALLED),
                name="ticket_one_called_per_desk",
            ),
            models.CheckConstraint(
                condition=Q(status__in=TicketStatus.values), name="ticket_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(service__in=TicketService.values) & Q(prefix__in=TicketService.values),
                name="ticket_service_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=TicketStatus.CALLED)
                | (Q(desk__isnull=False) & Q(called_at__isnull=False)),
                name="ticket_called_at_a_desk",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="ticket_number_positive"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return ticket_code(self.prefix, self.number)


class TicketEventKind(models.TextChoices):
    ISSUE = "issue", "Diambil"
    CALL = "call", "Dipanggil"
    RECALL = "recall", "Dipanggil ulang"
    SKIP = "skip", "Dilewati"
    SERVE = "serve", "Selesai dilayani"
    TRANSFER = "transfer", "Dialihkan"


class TicketEvent(AppendOnlyModel):
    """What happened to a ticket: where, by whom, on which shift (append-only).

    A ticket taken at the kiosk has no clerk.
    """

    ticket = models.ForeignKey(
        QueueTicket, on_delete=models.PROTECT, related_name="events", verbose_name="nomor antrean"
    )
    kind = models.CharField("kejadian", max_length=8, choices=TicketEventKind.choices)
    service = models.CharField("layanan", max_length=1, choices=TicketService.choices)
    at = models.DateTimeField("waktu")
    desk = models.ForeignKey(
        ServiceDesk,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="loket",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="petugas",
    )
    assignment = models.ForeignKey(
        "shifts.Assignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="tugas jaga",
    )

    class Meta(AppendOnlyModel.Meta):
        verbose_name = "riwayat antrean"
        verbose_name_plural = "riwayat antrean"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"], name="ticket_event_ticket_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=TicketEventKind.values), name="ticket_event_kind_valid"
            ),
            # Only taking a ticket at the kiosk happens without a clerk.
            models.CheckConstraint(
                condition=Q(actor__isnull=False) | Q(kind=TicketEventKind.ISSUE),
                name="ticket_event_clerk",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} — {self.get_kind_display()}"
