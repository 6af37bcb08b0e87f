"""Summaries of the event log that pages read instead of the log itself."""

from django.db import models
from django.db.models import Q

from registry.models.applications import ApplicationStatus
from registry.models.residents import Village

S = ApplicationStatus
# The steps of the campaign's progress (registry.selectors.campaign.PROGRESS), in order.
SUMMARY_STEPS = (S.SUBMITTED, S.VERIFIED, S.RECORDED, S.PRINT_READY, S.PRINTED, S.ISSUED)


class DailyStepCount(models.Model):
    """How many applications took a step of the progress on one closed WITA day, in all
    (no kelurahan) and per kelurahan of the applicant, as the log said when every event up to
    ``counted_through`` (an event id) was counted.

    A cache of the event log kept by ``registry.selectors.campaign``: a closed day gets its
    totals (zeros too) and its kelurahan that did any work; an event written later with a
    stamp inside that day (an id above ``counted_through``) is found, and the day counted again.
    """

    day = models.DateField("tanggal")
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="kelurahan",
    )
    step = models.CharField("tahap", max_length=15, choices=ApplicationStatus.choices)
    applications = models.PositiveIntegerField("permohonan")
    counted_through = models.BigIntegerField("dihitung sampai riwayat nomor")

    class Meta:
        verbose_name = "rekap harian tahap"
        verbose_name_plural = "rekap harian tahap"
        ordering = ["day", "village", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "step"], condition=Q(village=None), name="daily_step_total_once"
            ),
            models.UniqueConstraint(
                fields=["day", "village", "step"],
                condition=Q(village__isnull=False),
                name="daily_step_village_once",
            ),
            models.CheckConstraint(
                condition=Q(step__in=SUMMARY_STEPS), name="daily_step_progress_step"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_step_display()}: {self.applications}"
