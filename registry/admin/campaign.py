"""The campaign target and its progress, and the capacity planner."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.formats import number_format

from dukcapil.formats import grouped
from registry.dashboard import sees_dashboard
from registry.models import Campaign
from registry.planner import WhatIfForm, plan, plan_inputs, what_if
from registry.selectors.campaign import PACE_DAYS, campaign_pace, current_campaign


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    # The progress reads the event log: on the campaign's own page, not once per listed row.
    list_display = ["name", "target", "start", "end"]
    readonly_fields = ["progress"]

    @admin.display(description="kemajuan (sejak mulai)")
    def progress(self, obj):
        if obj.pk is None:
            return "—"
        done = campaign_pace(obj)
        share = number_format(done.issued_share * 100, 1)
        return (
            f"{grouped(done.recorded)} direkam, {grouped(done.printed)} dicetak, "
            f"{grouped(done.issued)} diserahkan ({share}% target)"
        )

    def get_urls(self):
        return [
            path(
                "perencana-kapasitas/",
                self.admin_site.admin_view(self.planner_view),
                name="registry_campaign_planner",
            ),
            *super().get_urls(),
        ]

    def planner_view(self, request):
        """Today's plan and one what-if beside it; a GET form, nothing is written."""
        if not sees_dashboard(request.user):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Perencana kapasitas",
        }
        campaign = current_campaign()
        form = WhatIfForm(request.GET or None)
        if campaign is not None:
            measured = form.is_valid() and form.cleaned_data["measured"]
            inputs = plan_inputs(campaign, measured=measured)
            today = plan(inputs)
            context.update(
                campaign=campaign,
                today=today,
                shift_rows=list(zip(inputs.shifts, today.shifts, strict=True)),
                spoilage_percent=inputs.spoilage_rate * 100,
                pace_days=PACE_DAYS,
            )
            if form.is_bound and form.is_valid() and form.asks:
                context["changed"] = plan(what_if(inputs, form.cleaned_data))
        context["form"] = form
        return TemplateResponse(request, "admin/registry/dashboard/planner.html", context)
