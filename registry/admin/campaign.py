"""The campaign target and its progress, as the dashboard will show it."""

from django.contrib import admin
from django.utils.formats import number_format

from dukcapil.formats import grouped
from registry.models import Campaign
from registry.selectors.applications import campaign_progress


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "target", "start", "end", "progress"]
    readonly_fields = ["progress"]

    @admin.display(description="kemajuan (sejak mulai)")
    def progress(self, obj):
        if obj.pk is None:
            return "—"
        done = campaign_progress(obj)
        share = number_format(done.issued_share * 100, 1)
        return (
            f"{grouped(done.recorded)} direkam, {grouped(done.printed)} dicetak, "
            f"{grouped(done.issued)} diserahkan ({share}% target)"
        )
