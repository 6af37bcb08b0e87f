from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from dukcapil.admin_mixins import SpreadsheetImportMixin
from dukcapil.exports import admin_export, spreadsheet_response
from dukcapil.formats import grouped
from dukcapil.paginators import LargeListMixin
from dukcapil.privacy import (
    PROTECTED_FIELDS,
    exact_number,
    full_view_record,
    mask_birth_date,
    masked_column,
    masked_names,
    number_search,
    search_refused,
    sees_full,
)
from dukcapil.uploads import private_path
from registry.forms import ResidentConfirmImportForm, ResidentForm, ResidentImportForm
from registry.models import District, Resident, Village, eligible_q
from registry.resources import REJECTED_SUFFIX, ResidentResource
from registry.services.residents import resident_save
from registry.siak import HEADERS, export_rows

MASKED_READONLY = [f"{name}_masked" for name in sorted(PROTECTED_FIELDS["registry.resident"])]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district"]
    list_filter = ["district"]
    list_select_related = ["district"]
    search_fields = ["name", "code"]


class EligibilityFilter(admin.SimpleListFilter):
    title = "wajib KTP"
    parameter_name = "wajib_ktp"

    def lookups(self, request, model_admin):
        return [("1", "Wajib KTP"), ("0", "Belum wajib KTP")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(eligible_q())
        if self.value() == "0":
            return queryset.exclude(eligible_q())
        return queryset


class NikReviewFilter(admin.SimpleListFilter):
    title = "NIK perlu ditinjau"
    parameter_name = "tinjau_nik"

    def lookups(self, request, model_admin):
        return [("1", "Perlu ditinjau")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.exclude(nik_review_note="")
        return queryset


@admin.register(Resident)
class ResidentAdmin(LargeListMixin, SpreadsheetImportMixin, SimpleHistoryAdmin):
    form = ResidentForm
    resource_classes = [ResidentResource]
    import_form_class = ResidentImportForm
    confirm_form_class = ResidentConfirmImportForm
    import_template_name = "admin/registry/resident/import.html"
    import_export_change_list_template = "admin/registry/resident/change_list.html"
    show_facets = admin.ShowFacets.NEVER
    list_select_related = ["village__district"]
    list_filter = [
        "village__district",  # RelatedOnlyFieldListFilter would scan every resident
        "village",
        "sex",
        EligibilityFilter,
        "life_status",
        NikReviewFilter,
    ]
    search_fields = ["full_name"]
    search_help_text = "Cari dengan NIK atau No. KK (16 digit, persis) atau sebagian nama."
    fieldsets = [
        ("Identitas", {"fields": ["nik", "kk_number", "full_name", "nik_review_note"]}),
        (
            "Kelahiran dan data pribadi",
            {
                "fields": [
                    ("birth_place", "birth_date"),
                    ("sex", "blood_type"),
                    ("religion", "marital_status"),
                    "occupation",
                    "nationality",
                ]
            },
        ),
        ("Alamat", {"fields": ["address", ("rt", "rw"), "village", "phone"]}),
        ("Status", {"fields": ["life_status", "siak_record_status", "applications", "version"]}),
        ("Catatan sistem", {"fields": [("created_at", "updated_at")]}),
    ]
    readonly_fields = [
        "nik_review_note",
        "siak_record_status",
        "applications",
        "created_at",
        "updated_at",
    ]
    autocomplete_fields = ["village"]

    list_display = [
        "full_name",
        "nik",
        "kk_number",
        "birth_date",
        "sex",
        "village",
        "district",
        "is_eligible",
    ]
    ordering = ["full_name", "id"]
    # Each served by an index of Resident (the column, then name and id). Kelurahan sorts by
    # the resident's own column (kelurahan ids follow the Kemendagri codes they were loaded
    # in), which groups each kecamatan too; sex, kecamatan and wajib KTP are filters. The
    # masked twins of NIK, No. KK and birth date are not in this list: they never sort.
    sortable_by = ["full_name", "nik", "kk_number", "birth_date", "village"]

    # Personal data (dukcapil.privacy): masked for roles without the full view.

    def _full(self, request) -> bool:
        return sees_full(request.user)

    def get_list_display(self, request):
        return masked_names(request.user, self.list_display)

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**opts, "fields": masked_names(request.user, opts["fields"])})
            for name, opts in self.fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        if self._full(request):
            return self.readonly_fields
        return [*self.readonly_fields, *MASKED_READONLY]

    def get_queryset(self, request):
        return super().get_queryset(request).with_eligibility()

    nik_masked = masked_column("NIK", lambda resident: resident.nik)
    kk_number_masked = masked_column("No. KK", lambda resident: resident.kk_number)
    birth_date_masked = masked_column(
        "tanggal lahir", lambda resident: resident.birth_date, mask_birth_date
    )

    @admin.display(description="permohonan KTP-el")
    def applications(self, obj):
        if obj.pk is None:
            return "—"
        links = [
            format_html(
                '<a href="{}">{}</a> ({})',
                reverse("admin:registry_cardapplication_change", args=[a.pk]),
                a.number,
                a.get_status_display(),
            )
            for a in obj.applications.order_by("-submitted_at")
        ]
        start = reverse("admin:registry_cardapplication_add") + f"?resident={obj.pk}"
        links.append(format_html('<a href="{}">Permohonan baru…</a>', start))
        return format_html_join(mark_safe("<br>"), "{}", ((link,) for link in links))

    @admin.display(description="kecamatan")
    def district(self, obj):
        return obj.village.district

    @admin.display(description="wajib KTP", boolean=True)
    def is_eligible(self, obj):
        return obj.is_eligible

    def get_search_results(self, request, queryset, search_term):
        return resident_search(self, request, queryset, search_term), False

    # Saving goes through the service, which validates and records who changed what.

    def save_model(self, request, obj, form, change):
        version = form.cleaned_data.get("version") or None
        resident_save(resident=obj, actor=request.user, loaded_version=version)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            full_view_record(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # History pages are read-only for everyone (dukcapil.admin_site.ReadOnlyHistory).

    def has_view_history_or_change_history_permission(self, request, obj=None):
        # Past versions and their differences show full NIKs and birth dates.
        return self._full(request) and super().has_view_history_or_change_history_permission(
            request, obj
        )

    def render_history_view(self, request, template, context, **kwargs):
        full_view_record(request, context.get("original") or context["object"])
        return super().render_history_view(request, template, context, **kwargs)

    # Import (django-import-export flow) and streamed export.

    def get_import_data_kwargs(self, request, *args, **kwargs):
        form = kwargs.get("form")
        return {"valid_only": bool(form and form.cleaned_data.get("valid_only"))}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["valid_only"] = import_form.cleaned_data.get("valid_only", False)
        return initial

    def process_result(self, result, request):
        report = result.report
        if not report.applied:
            self.message_user(
                request,
                "Tidak ada yang diimpor: berkas berisi baris yang salah. Unggah ulang untuk "
                "melihat rinciannya.",
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:registry_resident_import"))
        self.message_user(
            request,
            f"Impor selesai: {grouped(len(report.created))} penduduk baru, "
            f"{grouped(len(report.updated))} diperbarui, "
            f"{grouped(report.unchanged)} tidak berubah.",
            messages.SUCCESS,
        )
        if result.rejected_token:
            url = reverse("admin:registry_resident_import_rejected", args=[result.rejected_token])
            self.message_user(
                request,
                format_html(
                    '{} baris ditolak. <a href="{}">Unduh baris yang ditolak</a> '
                    "(XLSX dengan alasannya, tersedia satu jam), perbaiki, lalu impor lagi.",
                    len(report.rejected),
                    url,
                ),
                messages.WARNING,
            )
        return HttpResponseRedirect(reverse("admin:registry_resident_changelist"))

    def has_export_permission(self, request) -> bool:
        codename = get_permission_codename("export", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    def get_urls(self):
        urls = [
            path(
                "export/<str:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name="registry_resident_export",
            ),
            path(
                "import/rejected/<str:token>/",
                self.admin_site.admin_view(self.rejected_rows_view),
                name="registry_resident_import_rejected",
            ),
        ]
        return urls + super().get_urls()

    @admin_export()
    def export_view(self, request, fmt):
        queryset = self.get_changelist_instance(request).get_queryset(request)
        rows = export_rows(queryset, full_identity=self._full(request))
        return spreadsheet_response(
            request=request,
            report="Data penduduk",
            fmt=fmt,
            name="penduduk",
            headers=HEADERS,
            rows=rows,
        )

    def rejected_rows_view(self, request, token):
        if not self.has_import_permission(request):
            raise PermissionDenied
        # Only the clerk who imported finds the file: it is stored under their id.
        file = private_path(owner=request.user, token=token, suffix=REJECTED_SUFFIX)
        if file is None:
            raise Http404("Berkas baris ditolak sudah tidak tersedia; impor ulang berkasnya.")
        return FileResponse(
            file.open("rb"), as_attachment=True, filename="penduduk-baris-ditolak.xlsx"
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export_residents": self.has_export_permission(request),
        }
        return super().changelist_view(request, extra_context)


def resident_search(model_admin, request, queryset, term: str, *, via: str = ""):
    """Exact NIK or No. KK (16 digits, by index; recorded and rate-limited), else part of the
    name.

    ``via`` is the path to the resident from the queryset's model ("resident__"). Autocomplete
    never searches by number: it runs on every keystroke, and would answer "whose NIK is this?".
    """
    term = term.strip()
    number = exact_number(term)
    if number and getattr(request.resolver_match, "url_name", "") != "autocomplete":
        try:
            return number_search(request, queryset, number, [f"{via}nik", f"{via}kk_number"])
        except ValidationError as exc:
            return search_refused(model_admin, request, queryset, exc)
    if term:
        return queryset.filter(**{f"{via}full_name__icontains": term})
    return queryset
