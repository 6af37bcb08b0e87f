"""The admin home page the registry offers (``RegistryConfig.admin_home``).

The Kepala Seksi gets the campaign dashboard; a desk clerk gets their desk's shortcuts and
today's counts above the usual menu; anyone else keeps Django's own home page. The chart is an
SVG drawn here on the server: no script, no inline style, no CDN, and it prints.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from dukcapil.days import day_start
from dukcapil.formats import grouped
from registry.models import ApplicationEvent, ApplicationStatus, CardApplication
from registry.selectors.applications import desk_statuses
from registry.selectors.campaign import (
    PACE_DAYS,
    TODAY_STEPS,
    Pace,
    current_campaign,
    dashboard,
    today_by_shift,
)

# The supervisor's dashboard and the capacity planner: campaign figures and every desk.
DASHBOARD_PERMISSIONS = ("registry.view_campaign", "registry.view_cardapplication")
BROKER_INDICATORS = "registry.view_broker_indicators"
MISSED = "tidak tercapai pada tanggal target"


def sees_dashboard(user) -> bool:
    return user.has_perms(DASHBOARD_PERMISSIONS)


def home(site, request, extra_context=None):
    """The home page for ``request.user``, or None for Django's own."""
    if sees_dashboard(request.user):
        return _dashboard_page(site, request, extra_context)
    desks = [s for s in desk_statuses(request.user) if s in DESK_LABELS]
    if desks:
        return _desk_page(site, request, desks, extra_context)
    return None


def _base_context(site, request, extra_context, title: str) -> dict:
    return {
        **site.each_context(request),
        "title": title,
        "subtitle": None,
        "app_list": site.get_app_list(request),
        **(extra_context or {}),
    }


def _dashboard_page(site, request, extra_context):
    context = _base_context(site, request, extra_context, "Dasbor kampanye KTP-el")
    campaign = current_campaign()
    if campaign is not None:
        board = dashboard(campaign, brokers=request.user.has_perm(BROKER_INDICATORS))
        context.update(
            board=board,
            pace=board.pace,
            chart=progress_chart(board.pace),
            projected=projected_text(board.pace),
            pace_days=PACE_DAYS,
            spoilage_percent=board.blanks.spoilage_rate * 100,
            steps=[ApplicationStatus(s).label for s in TODAY_STEPS],
        )
    return TemplateResponse(request, "admin/registry/dashboard/dashboard.html", context)


def projected_text(pace: Pace) -> str:
    projected = pace.projected_completion
    if projected is None:
        return "—"
    text = date_format(projected, "j F Y")
    return f"{text} ({MISSED})" if projected > pace.campaign.end else text


# -- the desk clerk's home -------------------------------------------------------------------

# The desk of each status, as a clerk reads it.
DESK_LABELS = {
    ApplicationStatus.SUBMITTED: "Berkas menunggu diperiksa",
    ApplicationStatus.VERIFIED: "Menunggu perekaman",
    ApplicationStatus.RECORDED: "Menunggu hasil pusat",
    ApplicationStatus.ENROLL_FAILED: "Gagal rekam, perlu rekam ulang",
    ApplicationStatus.DUPLICATE: "Data ganda",
    ApplicationStatus.PRINT_READY: "Siap dicetak",
    ApplicationStatus.PRINTED: "Menunggu diambil",
}


@dataclass
class DeskLine:
    label: str
    waiting: int
    url: str


def _desk_page(site, request, desks: list[str], extra_context):
    today = timezone.localdate()
    waiting = dict(
        CardApplication.objects.filter(status__in=desks)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    changelist = reverse("admin:registry_cardapplication_changelist")
    lines = [
        DeskLine(DESK_LABELS[s], waiting.get(s, 0), f"{changelist}?status__exact={s}")
        for s in desks
    ]
    mine = Counter(
        dict(
            ApplicationEvent.objects.filter(
                actor=request.user,
                at__gte=day_start(today),
                at__lt=day_start(today + dt.timedelta(days=1)),
            )
            .values_list("to_status")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    _, office = today_by_shift(today=today)
    context = _base_context(site, request, extra_context, site.index_title)
    context.update(
        desk_lines=lines,
        today=[
            (ApplicationStatus(s).label, mine[s], total)
            for s, total in zip(TODAY_STEPS, office, strict=True)
        ],
        today_date=today,
        calls_queue=request.user.has_perm("registry.call_ticket"),
    )
    return TemplateResponse(request, "admin/registry/dashboard/desk_home.html", context)


# -- the chart --------------------------------------------------------------------------------

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 16, 40
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Line:
    css: str
    label: str
    points: str  # "x,y x,y …" for a polyline
    value: int


@dataclass
class Chart:
    width: int
    height: int
    left: int
    top: int
    right: float  # x of the plot's right edge
    bottom: float  # y of the plot's baseline
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    lines: list[Line]
    target_y: float
    target_label: str
    today_x: float | None
    projection: str  # points of the dashed issued projection, or ""
    summary: str


def _nice_step(top: int) -> int:
    """A round grid step that gives four to eight lines up to ``top``."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if top / (step * factor) <= 8:
                return step * factor
        step *= 10


def progress_chart(pace: Pace) -> Chart:
    """Cumulative recorded, printed and issued per day against the target, start to end."""
    campaign = pace.campaign
    span = max((campaign.end - campaign.start).days, 1)
    last = pace.series[-1] if pace.series else (campaign.start, 0, 0, 0)
    step = _nice_step(max(campaign.target, last[1], 1))
    top = -(-max(campaign.target, last[1], 1) // step) * step

    def x(day: dt.date) -> float:
        return round(LEFT + (day - campaign.start).days / span * PLOT_W, 1)

    def y(value: float) -> float:
        return round(TOP + PLOT_H - value / top * PLOT_H, 1)

    def points(column: int) -> str:
        # Each day's total stands at the end of that day.
        return " ".join(
            f"{x(row[0] + dt.timedelta(days=1))},{y(row[column])}" for row in pace.series
        )

    lines = [
        Line("recorded", "Direkam", f"{x(campaign.start)},{y(0)} {points(1)}", last[1]),
        Line("printed", "Dicetak", f"{x(campaign.start)},{y(0)} {points(2)}", last[2]),
        Line("issued", "Diserahkan", f"{x(campaign.start)},{y(0)} {points(3)}", last[3]),
    ]
    x_days = [*range(0, span, 14), span]
    if len(x_days) > 2 and span - x_days[-2] < 7:
        del x_days[-2]  # the end date's label would overlap the last fortnight's
    x_ticks = []
    for offset in x_days:
        day = campaign.start + dt.timedelta(days=offset)
        x_ticks.append(Tick(x(day), date_format(day, "j M")))
    y_ticks = [Tick(y(v), grouped(v)) for v in range(0, top + 1, step)]
    today_x = x(pace.today) if campaign.start <= pace.today <= campaign.end else None
    projection = ""
    if pace.issued_last_days and pace.remaining and today_x is not None:
        # Drawn up to the projected day, or the end date when that comes first.
        until = min(pace.projected_completion, campaign.end)
        reach = pace.issued + pace.issued_last_days * (until - pace.today).days / PACE_DAYS
        projection = f"{today_x},{y(pace.issued)} {x(until)},{y(min(reach, top))}"
    summary = (
        f"Sejak {date_format(campaign.start, 'j F Y')}: {grouped(pace.recorded)} direkam, "
        f"{grouped(pace.printed)} dicetak, {grouped(pace.issued)} diserahkan dari target "
        f"{grouped(campaign.target)} sampai {date_format(campaign.end, 'j F Y')}."
    )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        top=TOP,
        right=LEFT + PLOT_W,
        bottom=TOP + PLOT_H,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        lines=lines,
        target_y=y(campaign.target),
        target_label=f"Target {grouped(campaign.target)}",
        today_x=today_x,
        projection=projection,
        summary=summary,
    )
