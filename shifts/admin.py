"""The roster admin: reference data lists, and the roster page whose buttons call services."""

import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from dukcapil.admin_mixins import ReadOnlyAdminMixin
from dukcapil.audit import audit_record
from dukcapil.confirmation import confirmation
from dukcapil.days import month_end, month_start
from dukcapil.exports import spreadsheet_response
from dukcapil.formats import grouped
from dukcapil.models import AuditAction
from shifts.forms import CellForm, GridUploadForm
from shifts.models import (
    Amendment,
    Assignment,
    CoverageRequirement,
    Leave,
    Post,
    Roster,
    ShiftType,
    Staff,
)
from shifts.resources import grid_headers, grid_rows
from shifts.selectors import roster_grid
from shifts.services import (
    assignment_set,
    roster_amend,
    roster_create,
    roster_generate,
    roster_grid_import,
    roster_publish,
)
from shifts.services.rosters import PUBLISH


@admin.register(ShiftType)
class ShiftTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "start", "end"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["name", "nip", "active"]
    list_filter = ["active", "posts"]
    search_fields = ["name", "nip"]
    filter_horizontal = ["posts"]
    autocomplete_fields = ["user"]


@admin.register(Leave)
class LeaveAdmin(admin.ModelAdmin):
    list_display = ["staff", "kind", "start", "end"]
    list_filter = ["kind"]
    list_select_related = ["staff"]
    search_fields = ["staff__name", "staff__nip"]
    autocomplete_fields = ["staff"]
    date_hierarchy = "start"


@admin.register(CoverageRequirement)
class CoverageRequirementAdmin(admin.ModelAdmin):
    list_display = ["shift_type", "post", "min_staff"]
    list_editable = ["min_staff"]
    list_select_related = ["shift_type", "post"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["date", "shift_type", "post", "staff", "roster"]
    list_filter = ["shift_type", "post", "roster__status"]
    list_select_related = ["shift_type", "post", "staff", "roster"]
    search_fields = ["staff__name", "staff__nip"]
    date_hierarchy = "date"


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "roster", "staff", "date", "before", "after", "actor", "reason"]
    list_select_related = ["roster", "staff", "actor"]


def _next_month() -> tuple[dt.date, dt.date]:
    first = month_end(month_start()) + dt.timedelta(days=1)
    return first, month_end(first)


@admin.register(Roster)
class RosterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "published_at", "published_by", "grid_link"]
    list_filter = ["status"]
    fields = ["period_start", "period_end"]

    @admin.display(description="jadwal")
    def grid_link(self, obj):
        return format_html('<a href="{}">Lihat jadwal</a>', self._url("grid", obj))

    def _url(self, name: str, roster: Roster) -> str:
        return reverse(f"admin:shifts_roster_{name}", args=[roster.pk])

    def has_add_permission(self, request) -> bool:
        return request.user.has_perm(PUBLISH)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # assignments change through the roster page's services only

    def get_changeform_initial_data(self, request):
        start, end = _next_month()
        return {"period_start": start, "period_end": end}

    def save_model(self, request, obj, form, change):
        created = roster_create(
            period_start=obj.period_start, period_end=obj.period_end, actor=request.user
        )
        obj.pk = created.pk

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, f"{obj} dibuat sebagai draf.", messages.SUCCESS)
        return HttpResponseRedirect(self._url("grid", obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:shifts_roster_grid", args=[object_id]))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/jadwal/", view(self.grid_view), name="shifts_roster_grid"),
            path("<int:pk>/susun/", view(self.generate_view), name="shifts_roster_generate"),
            path("<int:pk>/terbitkan/", view(self.publish_view), name="shifts_roster_publish"),
            path("<int:pk>/ubah/", view(self.cell_view), name="shifts_roster_cell"),
            path("<int:pk>/unduh/", view(self.export_view), name="shifts_roster_export"),
            path("<int:pk>/impor/", view(self.import_view), name="shifts_roster_import"),
            *super().get_urls(),
        ]

    def _roster(self, request, pk: int, *, write: bool = False) -> Roster:
        if not self.has_view_permission(request) or (write and not request.user.has_perm(PUBLISH)):
            raise PermissionDenied
        if write and request.method != "POST":
            raise PermissionDenied
        return get_object_or_404(Roster, pk=pk)

    def _run(self, request, roster: Roster, action) -> HttpResponseRedirect:
        try:
            message = action()
        except ValidationError as exc:
            for text in exc.messages:
                self.message_user(request, text, messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(self._url("grid", roster))

    def grid_view(self, request, pk: int):
        roster = self._roster(request, pk)
        rows, coverage = roster_grid(roster)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(roster),
            "roster": roster,
            "days": roster.days(),
            "shift_types": ShiftType.objects.order_by("start"),
            "posts": Post.objects.order_by("name"),
            "rows": rows,
            "coverage": coverage,
            "gaps": [c for c in coverage if c.short],
            "day_short": _day_shortfalls(roster.days(), coverage),
            "summary": _summary(coverage),
            "can_edit": request.user.has_perm(PUBLISH),
            "cell_form": CellForm(),
            "upload_form": GridUploadForm(),
        }
        return TemplateResponse(request, "admin/shifts/roster/grid.html", context)

    def generate_view(self, request, pk: int):
        roster = self._roster(request, pk, write=True)

        def generate() -> str:
            solution = roster_generate(roster=roster, actor=request.user)
            gaps = sum(g.required - g.filled for g in solution.gaps)
            return (
                f"Jadwal disusun: {grouped(len(solution.assignments))} tugas shift, "
                f"{grouped(gaps)} kekurangan petugas. Sebaran shift malam per orang: "
                f"{min(solution.nights.values(), default=0)}–"
                f"{max(solution.nights.values(), default=0)}."
            )

        return self._run(request, roster, generate)

    def publish_view(self, request, pk: int):
        roster = self._roster(request, pk, write=True)
        if "confirmed" not in request.POST:
            return confirmation(
                request,
                self.admin_site,
                title=f"Terbitkan {roster}",
                consequence=(
                    f"{roster} ({grouped(roster.assignments.count())} tugas shift) menjadi jadwal "
                    "yang berlaku: petugas jaga dicatat menurut jadwal ini, dan sesudahnya jadwal "
                    "hanya dapat diubah lewat amandemen dengan alasan."
                ),
                confirm_label="Terbitkan",
                cancel_url=self._url("grid", roster),
            )
        return self._run(
            request,
            roster,
            lambda: f"{roster_publish(roster=roster, actor=request.user)} diterbitkan.",
        )

    def cell_view(self, request, pk: int):
        roster = self._roster(request, pk, write=True)
        form = CellForm(request.POST)
        if not form.is_valid():
            self.message_user(request, "Isian perubahan jadwal tidak lengkap.", messages.ERROR)
            return HttpResponseRedirect(self._url("grid", roster))
        data = {k: form.cleaned_data[k] for k in ("staff", "day", "shift_type", "post")}

        def change() -> str:
            if roster.is_published:
                roster_amend(
                    roster=roster, reason=form.cleaned_data["reason"], actor=request.user, **data
                )
            else:
                assignment_set(roster=roster, actor=request.user, **data)
            return f"Jadwal {data['staff']} diubah."

        return self._run(request, roster, change)

    def export_view(self, request, pk: int):
        roster = self._roster(request, pk)
        return spreadsheet_response(
            request=request,
            report=f"Jadwal dinas {roster}",
            fmt="xlsx",
            name=f"jadwal-dinas-{roster.period_start:%Y-%m-%d}",
            headers=grid_headers(roster),
            rows=grid_rows(roster),
            print_landscape=True,  # the familiar jadwal dinas sheet, printed on A4
        )

    def import_view(self, request, pk: int):
        roster = self._roster(request, pk, write=True)
        form = GridUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            self.message_user(request, "Pilih berkas jadwal terlebih dahulu.", messages.ERROR)
            return HttpResponseRedirect(self._url("grid", roster))
        upload = form.cleaned_data["file"]

        def load() -> str:
            count = roster_grid_import(
                roster=roster, data=upload.read(), filename=upload.name, actor=request.user
            )
            audit_record(
                actor=request.user,
                action=AuditAction.IMPORT,
                obj=roster,
                detail={"model": "shifts.assignment", "file": upload.name, "created": count},
                request=request,
            )
            return f"Jadwal diimpor: {grouped(count)} tugas shift."

        return self._run(request, roster, load)


def _day_shortfalls(days, coverage) -> list[int]:
    short = dict.fromkeys(days, 0)
    for cell in coverage:
        short[cell.day] += cell.short
    return [short[d] for d in days]


def _summary(coverage) -> list[dict]:
    """Required against filled per shift and post over the whole period."""
    totals: dict[tuple[str, str], dict] = {}
    for cell in coverage:
        row = totals.setdefault(
            (cell.shift, cell.post),
            {"shift": cell.shift, "post": cell.post, "required": 0, "filled": 0},
        )
        row["required"] += cell.required
        row["filled"] += min(cell.filled, cell.required)
    return list(totals.values())
