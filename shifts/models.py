"""Staff, shifts, posts, rosters and leave for 24-hour service (DESIGN.md §5 shifts, §6.6).

The database holds what it can (one assignment per person per day, sane periods, 18-digit
NIPs); rules that need a person's neighbouring days (rest, nights in a row, weekly hours) live
in ``shifts.rules`` and are applied by every service that writes an assignment.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from dukcapil.append_only import AppendOnlyModel
from shifts.nip import validate_nip


class ShiftType(models.Model):
    """Pagi 07:00–15:00, Sore 15:00–23:00, Malam 23:00–07:00 (ends the next morning)."""

    code = models.CharField("kode", max_length=3, unique=True)
    name = models.CharField("nama", max_length=40)
    start = models.TimeField("mulai")
    end = models.TimeField("selesai")

    class Meta:
        verbose_name = "jenis shift"
        verbose_name_plural = "jenis shift"
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=~Q(start=F("end")), name="shifttype_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%H:%M}–{self.end:%H:%M})"

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    is_night = crosses_midnight

    def window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """Naive local start and end of this shift when it starts on ``day``."""
        start = dt.datetime.combine(day, self.start)
        end = dt.datetime.combine(day + dt.timedelta(days=int(self.crosses_midnight)), self.end)
        return start, end

    @property
    def minutes(self) -> int:
        start, end = self.window(dt.date(2000, 1, 1))
        return int((end - start).total_seconds() // 60)


class Post(models.Model):
    """A service desk (loket) or duty: Perekaman, Cetak, Pengawas…"""

    code = models.CharField("kode", max_length=5, unique=True)
    name = models.CharField("nama", max_length=60)

    class Meta:
        verbose_name = "pos"
        verbose_name_plural = "pos"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Staff(models.Model):
    """A petugas: civil servant (NIP) who can be rostered on the posts they are qualified for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="akun pengguna",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
    )
    nip = models.CharField("NIP", max_length=18, unique=True, validators=[validate_nip])
    name = models.CharField("nama", max_length=100)
    posts = models.ManyToManyField(Post, verbose_name="pos yang dikuasai", blank=True)
    active = models.BooleanField("aktif", default=True)

    class Meta:
        verbose_name = "petugas"
        verbose_name_plural = "petugas"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(nip__regex=r"^[0-9]{18}$"), name="staff_nip_18"),
        ]

    def __str__(self) -> str:
        return self.name


class RosterStatus(models.TextChoices):
    DRAFT = "draft", "Draf"
    PUBLISHED = "published", "Terbit"


class Roster(models.Model):
    """A jadwal dinas for a period, usually one month; frozen once published."""

    period_start = models.DateField("mulai")
    period_end = models.DateField("sampai")
    status = models.CharField(
        "status", max_length=10, choices=RosterStatus.choices, default=RosterStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="dibuat oleh",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="diterbitkan oleh",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField("diterbitkan", null=True, blank=True)

    class Meta:
        verbose_name = "jadwal dinas"
        verbose_name_plural = "jadwal dinas"
        ordering = ["-period_start"]
        permissions = [("publish_roster", "Dapat menyusun, menerbitkan dan mengubah jadwal dinas")]
        # No two rosters share a day: on PostgreSQL an exclusion constraint, roster_no_overlap,
        # installed by migration 0004 (SQLite has none; there the service's check stands alone).
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="roster_period_order"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RosterStatus.values), name="roster_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=RosterStatus.DRAFT) | Q(published_at__isnull=False),
                name="roster_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Jadwal dinas {self.period_start:%d-%m-%Y} s.d. {self.period_end:%d-%m-%Y}"

    @property
    def is_published(self) -> bool:
        return self.status == RosterStatus.PUBLISHED

    def days(self) -> list[dt.date]:
        count = (self.period_end - self.period_start).days + 1
        return [self.period_start + dt.timedelta(days=i) for i in range(count)]


class Assignment(models.Model):
    """One person on one shift at one post on one date (the date the shift starts)."""

    roster = models.ForeignKey(
        Roster, verbose_name="jadwal", on_delete=models.CASCADE, related_name="assignments"
    )
    date = models.DateField("tanggal")
    shift_type = models.ForeignKey(ShiftType, verbose_name="shift", on_delete=models.PROTECT)
    staff = models.ForeignKey(
        Staff, verbose_name="petugas", on_delete=models.PROTECT, related_name="assignments"
    )
    post = models.ForeignKey(Post, verbose_name="pos", on_delete=models.PROTECT)

    class Meta:
        verbose_name = "tugas shift"
        verbose_name_plural = "tugas shift"
        ordering = ["date", "shift_type__start", "post__code"]
        constraints = [
            # One shift per person per day; with it no one is on two shifts at once that day.
            models.UniqueConstraint(fields=["staff", "date"], name="assignment_one_per_day"),
        ]
        indexes = [models.Index(fields=["date", "shift_type"])]

    def __str__(self) -> str:
        return f"{self.staff} — {self.shift_type.name} {self.date:%d-%m-%Y} ({self.post})"


class Amendment(AppendOnlyModel):
    """A change to a published roster: who changed what, when and why (kept as evidence)."""

    roster = models.ForeignKey(
        Roster, verbose_name="jadwal", on_delete=models.PROTECT, related_name="amendments"
    )
    staff = models.ForeignKey(Staff, verbose_name="petugas", on_delete=models.PROTECT)
    date = models.DateField("tanggal")
    before = models.CharField("sebelum", max_length=20, blank=True)
    after = models.CharField("sesudah", max_length=20, blank=True)
    reason = models.TextField("alasan")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="oleh", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("waktu", auto_now_add=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = "perubahan jadwal terbit"
        verbose_name_plural = "perubahan jadwal terbit"
        ordering = ["-at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="amendment_reason")]

    def __str__(self) -> str:
        return f"{self.staff} {self.date:%d-%m-%Y}: {self.before or 'L'} → {self.after or 'L'}"


class CoverageRequirement(models.Model):
    """At least ``min_staff`` people at ``post`` on every ``shift_type`` shift."""

    shift_type = models.ForeignKey(ShiftType, verbose_name="shift", on_delete=models.CASCADE)
    post = models.ForeignKey(Post, verbose_name="pos", on_delete=models.CASCADE)
    min_staff = models.PositiveSmallIntegerField("jumlah minimal petugas")

    class Meta:
        verbose_name = "kebutuhan petugas"
        verbose_name_plural = "kebutuhan petugas"
        ordering = ["shift_type__start", "post__code"]
        constraints = [
            models.UniqueConstraint(fields=["shift_type", "post"], name="coverage_unique"),
            models.CheckConstraint(condition=Q(min_staff__gt=0), name="coverage_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.post} shift {self.shift_type.name}: {self.min_staff} orang"


class LeaveKind(models.TextChoices):
    ANNUAL = "cuti", "Cuti"
    SICK = "sakit", "Sakit"
    OFFICIAL = "dinas_luar", "Dinas luar"


class Leave(models.Model):
    staff = models.ForeignKey(
        Staff, verbose_name="petugas", on_delete=models.CASCADE, related_name="leaves"
    )
    start = models.DateField("mulai")
    end = models.DateField("sampai")
    kind = models.CharField("jenis", max_length=12, choices=LeaveKind.choices)

    class Meta:
        verbose_name = "cuti / izin"
        verbose_name_plural = "cuti / izin"
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="leave_period_order"),
            models.CheckConstraint(condition=Q(kind__in=LeaveKind.values), name="leave_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.staff} {self.start:%d-%m-%Y}–{self.end:%d-%m-%Y}"
