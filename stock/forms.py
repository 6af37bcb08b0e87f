"""Forms of the stock admin pages; each feeds exactly one service."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export.forms import ConfirmImportForm

from dukcapil.formats import grouped
from dukcapil.import_formats import ExtensionImportForm
from stock.models import BudgetLine, Location, Source, SpoilReason
from stock.serials import serials_parse
from stock.services.receipts import receipt_confirm_above

_DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _locations():
    return Location.objects.filter(active=True)


class SerialsField(forms.CharField):
    """A range (KTP0001000–KTP0004999) or a list separated by spaces, commas or lines."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Nomor seri")
        kwargs.setdefault(
            "help_text", "Rentang seperti KTP0001000–KTP0004999, atau daftar nomor seri."
        )
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3, "cols": 60}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return serials_parse(value) if value else []


class ReceiptForm(forms.Form):
    received_on = forms.DateField(label="Tanggal terima", initial=timezone.localdate, **_DATE)
    source = forms.ChoiceField(label="Sumber", choices=Source.choices)
    reference = forms.CharField(label="Nomor BAST", max_length=80)
    quantity = forms.IntegerField(
        label="Jumlah menurut BAST (keping)",
        min_value=1,
        help_text="Jumlah yang tertulis di BAST; nomor seri harus berjumlah persis sama.",
    )
    location = forms.ModelChoiceField(label="Diterima di", queryset=_locations())
    serials = SerialsField(
        help_text="Rentang seperti KTP0001000–KTP0004999, atau daftar nomor seri. Daftar dalam "
        "berkas XLSX/CSV: gunakan tombol Impor di daftar penerimaan."
    )
    unit_cost = forms.IntegerField(label="Harga satuan (Rp)", min_value=0, initial=0)
    budget_line = forms.ModelChoiceField(
        label="Mata anggaran", queryset=BudgetLine.objects.all(), required=False
    )
    large_confirmed = forms.BooleanField(label="Konfirmasi penerimaan besar", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Asked only when the serials typed come to an unusually large receipt.
        limit = receipt_confirm_above()
        if _serial_count(self.data.get("serials", "")) > limit:
            self.fields["large_confirmed"].help_text = (
                f"Nomor seri berjumlah lebih dari {grouped(limit)} "
                "blanko. Centang bila BAST memang menyebut sebanyak itu."
            )
        else:
            del self.fields["large_confirmed"]


def _serial_count(text: str) -> int:
    try:
        return len(serials_parse(text)) if text.strip() else 0
    except ValidationError:
        return 0


class ReceiptVoidForm(forms.Form):
    reason = forms.CharField(
        label="Alasan pembatalan",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Misalnya: rentang nomor seri salah ketik; BAST menyebut 5.000 keping.",
    )


class TransferForm(forms.Form):
    serials = SerialsField()
    from_location = forms.ModelChoiceField(label="Dari lokasi", queryset=_locations())
    to_location = forms.ModelChoiceField(label="Ke lokasi", queryset=_locations())
    reference = forms.CharField(label="Referensi", max_length=120, required=False)


class SpoilForm(forms.Form):
    serials = SerialsField()
    location = forms.ModelChoiceField(label="Lokasi", queryset=_locations())
    reason = forms.ChoiceField(label="Alasan rusak", choices=SpoilReason.choices)
    note = forms.CharField(
        label="Catatan",
        required=False,
        help_text="Wajib bila blanko rusak di gudang: apa yang terjadi pada blanko itu.",
    )


class DestructionForm(forms.Form):
    destroyed_on = forms.DateField(label="Tanggal pemusnahan", initial=timezone.localdate, **_DATE)
    method = forms.CharField(label="Cara pemusnahan", initial="Dibakar", max_length=60)
    place = forms.CharField(label="Tempat", max_length=120, required=False)
    witnesses = forms.CharField(
        label="Saksi",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Satu saksi per baris: nama — jabatan. Paling sedikit dua saksi.",
    )
    serials = SerialsField(label="Nomor seri blanko rusak", required=False)
    returned_old_cards = forms.IntegerField(
        label="KTP-el lama",
        min_value=0,
        initial=0,
        help_text="Terisi jumlah KTP-el lama yang ditarik saat penyerahan dan belum dimusnahkan.",
    )
    note = forms.CharField(
        label="Catatan", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ClosingForm(forms.Form):
    location = forms.ModelChoiceField(label="Lokasi", queryset=_locations())
    day = forms.DateField(label="Tanggal", initial=timezone.localdate, **_DATE)
    physical_count = forms.IntegerField(label="Hitung fisik (keping)", min_value=0)
    note = forms.CharField(
        label="Catatan", required=False, help_text="Wajib bila hitung fisik berselisih dengan buku."
    )


class AdjustForm(forms.Form):
    serial = forms.CharField(label="Nomor seri", max_length=32)
    status = forms.ChoiceField(
        label="Status baru", choices=[("in_stock", "Tersedia"), ("lost", "Hilang")]
    )
    location = forms.ModelChoiceField(label="Lokasi", queryset=_locations())
    note = forms.CharField(label="Alasan koreksi", widget=forms.Textarea(attrs={"rows": 2}))


RECEIPT_FIELDS = [
    "received_on",
    "source",
    "reference",
    "quantity",
    "location",
    "unit_cost",
    "budget_line",
]


class _ReceiptDetails(forms.Form):
    received_on = ReceiptForm.base_fields["received_on"]
    source = ReceiptForm.base_fields["source"]
    reference = ReceiptForm.base_fields["reference"]
    quantity = ReceiptForm.base_fields["quantity"]
    location = ReceiptForm.base_fields["location"]
    unit_cost = ReceiptForm.base_fields["unit_cost"]
    budget_line = ReceiptForm.base_fields["budget_line"]

    def receipt_details(self) -> dict:
        return {name: self.cleaned_data[name] for name in RECEIPT_FIELDS}


class ReceiptImportForm(ExtensionImportForm, _ReceiptDetails):
    """Upload step: the receipt's details and the file listing its serials."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields[
            "import_file"
        ].label = "Berkas daftar nomor seri (.xlsx atau .csv, kolom NO_SERI)"


class ReceiptConfirmImportForm(ConfirmImportForm, _ReceiptDetails):
    """Confirm step: the details travel along unchanged, as hidden fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RECEIPT_FIELDS:
            self.fields[name] = _copy_hidden(self.fields[name])


def _copy_hidden(field: forms.Field) -> forms.Field:
    field = copy.deepcopy(field)
    field.widget = forms.HiddenInput()
    return field
