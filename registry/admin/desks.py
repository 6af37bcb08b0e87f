"""The desk page of one application: its facts and history, and the one step this user takes.

Each action is a small form posted to the same page; the view only dispatches to the service
and shows its message. A refused step (double click, wrong status, wrong desk) changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from dukcapil.confirmation import confirmation
from dukcapil.privacy import (
    exact_number,
    full_view_record,
    mask_birth_date,
    mask_number,
    number_search,
)
from registry.admin.documents import printable_documents
from registry.desk_forms import (
    ApplicationStartForm,
    BerkasForm,
    HandoverForm,
    PrintFailedForm,
    PrintForm,
    ReasonForm,
    ResidentLookupForm,
)
from registry.lifecycle import OLD_CARD_RETURNED, SUKET
from registry.models import OPEN_STATUSES, ApplicationStatus, CardApplication, Resident
from registry.selectors.applications import (
    application_by_number,
    application_history,
    available_moves,
    next_in_line,
    open_application,
    resident_recorded_before,
)
from registry.services.applications import (
    application_cancel,
    application_reject,
    application_submit,
    berkas_check,
)
from registry.services.handover import card_hand_over
from registry.services.printing import card_print, card_print_failed
from registry.services.recording import application_record, central_result_apply
from registry.services.suket import suket_issue

S = ApplicationStatus
STATION_KEY = "registry_print_station"


@dataclass(frozen=True)
class Step:
    label: str
    form: type[forms.Form] | None
    run: Callable  # (application, user, cleaned data) → None
    done: str
    confirm: str = ""  # what an irreversible step will do, asked before it runs


def _central(to_status):
    def run(application, user, data):
        central_result_apply(application=application, to_status=to_status, actor=user)

    return run


STEPS: dict[str, Step] = {
    "berkas": Step(
        "Periksa berkas",
        BerkasForm,
        lambda a, u, d: berkas_check(application=a, verified_kinds=d["verified_kinds"], actor=u),
        "Pemeriksaan berkas dicatat.",
    ),
    "record": Step(
        "Tandai sudah direkam",
        None,
        lambda a, u, d: application_record(application=a, actor=u),
        "Perekaman dicatat.",
    ),
    "prr": Step("PRR dari pusat (siap cetak)", None, _central(S.PRINT_READY), "Siap cetak."),
    "duplicate": Step(
        "Data ganda dari pusat",
        None,
        _central(S.DUPLICATE),
        "Ditandai data ganda.",
        "Permohonan berhenti sebagai data ganda sampai pusat menyelesaikannya: dicetak hanya "
        "bila pusat kemudian mengirim PRR, atau ditolak.",
    ),
    "enroll_failed": Step(
        "Gagal rekam dari pusat",
        None,
        _central(S.ENROLL_FAILED),
        "Ditandai gagal rekam.",
        "Perekaman dianggap tidak sampai ke pusat: pemohon harus datang lagi untuk direkam ulang.",
    ),
    "print": Step(
        "Cetak",
        PrintForm,
        lambda a, u, d: card_print(
            application=a, blank_serial=d["blank_serial"], station=d["station"], operator=u
        ),
        "KTP-el tercetak.",
    ),
    "print_failed": Step(
        "Catat cetak gagal (blanko rusak)",
        PrintFailedForm,
        lambda a, u, d: card_print_failed(
            application=a,
            blank_serial=d["blank_serial"],
            station=d["station"],
            reason=d["spoil_reason"],
            operator=u,
        ),
        "Blanko dicatat rusak; permohonan tetap siap cetak.",
    ),
    "hand_over": Step(
        "Serahkan KTP-el",
        HandoverForm,
        lambda a, u, d: card_hand_over(application=a, actor=u, **d),
        "KTP-el diserahkan.",
    ),
    "suket": Step(
        "Terbitkan suket",
        None,
        lambda a, u, d: suket_issue(application=a, actor=u),
        "Suket diterbitkan.",
    ),
    "reject": Step(
        "Tolak permohonan",
        ReasonForm,
        lambda a, u, d: application_reject(application=a, actor=u, reason=d["reason"]),
        "Permohonan ditolak.",
    ),
    "cancel": Step(
        "Batalkan permohonan",
        ReasonForm,
        lambda a, u, d: application_cancel(application=a, actor=u, reason=d["reason"]),
        "Permohonan dibatalkan.",
    ),
}
# The step that makes each move; printing also offers recording a failed print.
MOVE_STEPS = {
    S.VERIFIED: ["berkas"],
    S.RECORDED: ["record"],
    S.PRINT_READY: ["prr"],
    S.DUPLICATE: ["duplicate"],
    S.ENROLL_FAILED: ["enroll_failed"],
    S.PRINTED: ["print", "print_failed"],
    S.ISSUED: ["hand_over"],
    S.REJECTED: ["reject"],
    S.CANCELLED: ["cancel"],
    SUKET: ["suket"],
}
# After these steps the desk offers the next application waiting for the same step.
NEXT_OFFERED = ("print", "hand_over")
DONE_KEY = "selesai"


def available_steps(application: CardApplication, user) -> list[str]:
    """The steps this user may take on this application now, in the order of the desk."""
    return [name for move in available_moves(application, user) for name in MOVE_STEPS[move]]


class ApplicationDeskMixin:
    """Replaces the generic add and change forms with the registration and step desks."""

    def get_urls(self):
        return [
            path(
                "buka/",
                self.admin_site.admin_view(self.open_view),
                name="registry_cardapplication_open",
            ),
            *super().get_urls(),
        ]

    def open_view(self, request):
        """The scan field of the desk lists: a NIK or an application number opens its desk."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        back = reverse(
            "admin:registry_collectionqueueentry_changelist"
            if request.GET.get("dari") == "antrean"
            else "admin:registry_cardapplication_changelist"
        )
        term = request.GET.get("q", "").strip()
        if not term:
            return redirect(back)
        try:
            application, problem = _scanned(request, term)
        except ValidationError as exc:
            application, problem = None, _text(exc)
        if application is None:
            self.message_user(request, problem, messages.ERROR)
            return redirect(back)
        return redirect(_desk_url(application))

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        query = request.GET
        residents = Resident.objects.with_eligibility().select_related("village__district")
        typed = not query.get("resident", "").isdigit()
        if not typed:
            # From a resident's page: the link carries the id, never the NIK.
            found = Resident.objects.filter(pk=query["resident"]).values_list("nik", flat=True)
            query = {"nik": found.first() or ""}
        lookup = ResidentLookupForm(query or None)
        resident = current = None
        if lookup.is_valid():
            nik = lookup.cleaned_data["nik"]
            try:
                # A NIK typed at the desk is a search like any other: recorded and limited.
                found = number_search(request, residents, nik, ["nik"]) if typed else None
            except ValidationError as exc:
                lookup.add_error("nik", exc)
            else:
                resident = (found if typed else residents.filter(nik=nik)).first()
                if resident is None:
                    lookup.add_error("nik", "NIK tidak terdaftar. Daftarkan penduduknya dulu.")
                else:
                    current = open_application(resident)
        form = ApplicationStartForm(request.POST if resident and request.POST else None)
        if resident and request.method == "POST" and form.is_valid():
            try:
                application = application_submit(
                    resident=resident, actor=request.user, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, _text(exc), messages.ERROR)
            else:
                self.message_user(request, f"Permohonan {application.number} diterima.")
                return HttpResponseRedirect(_desk_url(application))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Permohonan KTP-el baru",
            "lookup": lookup,
            "resident": resident,
            "resident_facts": _resident_facts(resident, request) if resident else [],
            "current": current,
            "form": form,
            "recorded_before": resident_recorded_before(resident) if resident else False,
        }
        return TemplateResponse(request, "admin/registry/cardapplication/start.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        # Not limited to the desk's list: after a step the page shows where the card went.
        application = get_object_or_404(
            CardApplication.objects.select_related(
                "resident__village__district", "blank", "submitted_by", "handed_over_by"
            ),
            pk=object_id,
        )
        if not self.has_view_permission(request, application):
            raise PermissionDenied
        steps = available_steps(application, request.user)
        if request.method == "POST":
            return self._step_post(request, application, steps)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Permohonan {application.number}",
            "application": application,
            "resident_facts": _resident_facts(
                application.resident,
                request,
                application=application,
                at_handover="hand_over" in steps,
            ),
            "steps": [
                (name, STEPS[name], self._step_form(request, application, name)) for name in steps
            ],
            "documents": application.documents.select_related("verified_by"),
            "history": application_history(application),
            "next_application": (
                next_in_line(application) if request.GET.get(DONE_KEY) in NEXT_OFFERED else None
            ),
            "sukets": application.sukets.all(),
            "refusals": application.refusals.select_related("actor"),
            "old_card_needed": application.kind in OLD_CARD_RETURNED,
            "printables": printable_documents(request.user, application),
        }
        return TemplateResponse(request, "admin/registry/cardapplication/desk.html", context)

    def _step_form(self, request, application, name, data=None):
        step = STEPS[name]
        if step.form is None:
            return None
        kwargs = {"prefix": name}
        if step.form is BerkasForm:
            kwargs["kinds"] = [d.kind for d in application.documents.all()]
        if issubclass(step.form, PrintForm):
            kwargs["initial"] = {"station": request.session.get(STATION_KEY)}
        if step.form is HandoverForm:
            kwargs["old_card_needed"] = application.kind in OLD_CARD_RETURNED
        return step.form(data, **kwargs)

    def _step_post(self, request, application, steps):
        name = request.POST.get("step", "")
        if name not in steps:
            # A second click, or a page left open while someone else moved the application.
            self.message_user(
                request,
                f"Langkah ini tidak dapat dilakukan: permohonan {application.number} kini "
                f"berstatus “{application.get_status_display()}”.",
                messages.ERROR,
            )
            return HttpResponseRedirect(_desk_url(application))
        step = STEPS[name]
        form = self._step_form(request, application, name, data=request.POST)
        if form is not None and not form.is_valid():
            self.message_user(request, _form_errors(form), messages.ERROR)
            return HttpResponseRedirect(_desk_url(application))
        data = form.cleaned_data if form is not None else {}
        if step.confirm and "confirmed" not in request.POST:
            return confirmation(
                request,
                self.admin_site,
                title=f"{step.label}: {application.number}",
                consequence=step.confirm,
                confirm_label=step.label,
                cancel_url=_desk_url(application),
            )
        try:
            step.run(application, request.user, data)
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, _text(exc), messages.ERROR)
        else:
            self.message_user(request, step.done, messages.SUCCESS)
            if "station" in data:
                request.session[STATION_KEY] = data["station"].pk
            if name in NEXT_OFFERED:
                return HttpResponseRedirect(f"{_desk_url(application)}?{DONE_KEY}={name}")
        return HttpResponseRedirect(_desk_url(application))


def _desk_url(application: CardApplication) -> str:
    return reverse("admin:registry_cardapplication_change", args=[application.pk])


def _form_errors(form: forms.Form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return "; ".join(parts)


def _text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "Anda tidak berwenang melakukan langkah ini."


def _scanned(request, term: str) -> tuple[CardApplication | None, str]:
    """The application a scanned or typed NIK or number names, or None and why not."""
    if nik := exact_number(term):
        running = CardApplication.objects.filter(status__in=OPEN_STATUSES)
        # A NIK at the desk is a search like any other: recorded and limited.
        found = number_search(request, running, nik, ["resident__nik"]).first()
        why = f"NIK {mask_number(nik)} tidak memiliki permohonan yang sedang berjalan."
    else:
        found = application_by_number(term)
        why = (
            f"Permohonan “{term[:30]}” tidak ditemukan. Pindai atau ketik NIK (16 angka) atau "
            "nomor permohonan (PKTP-0000123)."
        )
    return found, "" if found else why


def _resident_facts(
    resident: Resident, request, *, application=None, at_handover: bool = False
) -> list[tuple[str, str]]:
    """What the desk shows of the person; NIK, No. KK and birth date masked by role (in full at
    the handover step, for the identity check), and a full view recorded."""
    full = full_view_record(request, resident, application=application, at_handover=at_handover)
    born = (
        resident.birth_date.strftime("%d-%m-%Y") if full else mask_birth_date(resident.birth_date)
    )
    return [
        ("NIK", resident.nik if full else mask_number(resident.nik)),
        ("No. KK", resident.kk_number if full else mask_number(resident.kk_number)),
        ("nama", resident.full_name),
        ("tempat, tanggal lahir", f"{resident.birth_place}, {born}"),
        ("jenis kelamin", resident.get_sex_display()),
        ("alamat", f"{resident.address} RT {resident.rt}/RW {resident.rw}"),
        ("kelurahan", f"{resident.village}, {resident.village.district}"),
        ("kewarganegaraan", resident.nationality),
        ("status penduduk", resident.get_life_status_display()),
    ]
