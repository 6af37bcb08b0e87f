"""Forms of the application desks: one small form per step, each feeding one service."""

from django import forms

from dukcapil.privacy import exact_number
from registry.forms import NumberField
from registry.models import ApplicationKind, DocumentKind, VerificationMethod
from stock.models import Location, LocationKind, SpoilReason


class NikField(NumberField):
    def validate(self, value):
        super().validate(value)
        if value and not exact_number(value):
            raise forms.ValidationError("NIK terdiri atas 16 angka.")


class ResidentLookupForm(forms.Form):
    nik = NikField(label="NIK pemohon", widget=forms.TextInput(attrs={"autofocus": True}))


class ApplicationStartForm(forms.Form):
    kind = forms.ChoiceField(label="jenis permohonan", choices=ApplicationKind.choices)
    applicant_present = forms.BooleanField(
        label="Pemohon hadir sendiri di loket",
        required=False,
        help_text="Wajib. Permohonan tidak diterima melalui perantara.",
    )
    documents_present = forms.MultipleChoiceField(
        label="dokumen yang dibawa",
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tidak perlu surat pengantar RT/RW (Perpres 96/2018).",
    )
    phone = forms.CharField(label="nomor telepon", max_length=20, required=False)
    helper_name = forms.CharField(
        label="pendamping (bila ada)",
        max_length=100,
        required=False,
        help_text="Nama orang yang mengantar atau membantu pemohon.",
    )


class BerkasForm(forms.Form):
    verified_kinds = forms.MultipleChoiceField(
        label="dokumen yang sudah diperiksa asli dan sesuai",
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["verified_kinds"]
        field.choices = [(k, DocumentKind(k).label) for k in kinds]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="alasan", max_length=300)


def _stations():
    return Location.objects.filter(kind=LocationKind.PRINTER, active=True)


class PrintForm(forms.Form):
    station = forms.ModelChoiceField(label="mesin cetak", queryset=_stations(), empty_label=None)
    blank_serial = forms.CharField(
        label="nomor seri blanko",
        max_length=30,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = _stations()


class PrintFailedForm(PrintForm):
    spoil_reason = forms.ChoiceField(label="alasan blanko rusak", choices=SpoilReason.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["blank_serial"].widget.attrs.pop("autofocus", None)


class HandoverForm(forms.Form):
    # No default: the clerk states the check actually made, or the handover is refused.
    verification_method = forms.ChoiceField(
        label="verifikasi identitas",
        choices=[("", "— pilih pemeriksaan yang dilakukan —"), *VerificationMethod.choices],
        error_messages={"required": "Pilih cara verifikasi identitas yang benar-benar dilakukan."},
    )
    old_card_collected = forms.BooleanField(label="KTP-el lama sudah ditarik", required=False)
    proxy_name = forms.CharField(
        label="nama pengambil (bila bukan pemilik)", max_length=100, required=False
    )
    proxy_nik = NikField(label="NIK pengambil", required=False)
    proxy_original_card = forms.BooleanField(
        label="pengambil menunjukkan KTP-el asli miliknya", required=False
    )

    def __init__(self, *args, old_card_needed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not old_card_needed:
            del self.fields["old_card_collected"]
