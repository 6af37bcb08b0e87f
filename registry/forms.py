from django import forms
from import_export.forms import ConfirmImportForm

from dukcapil.import_formats import ExtensionImportForm
from dukcapil.privacy import TYPED_NUMBER_LENGTH, number_typed
from dukcapil.spreadsheets import SpreadsheetError, check_upload_size
from registry.models import Resident

VALID_ONLY_HELP = (
    "Bawaan: bila ada satu baris salah, seluruh berkas ditolak dan tidak ada yang berubah. "
    "Centang untuk mengimpor baris yang benar saja; baris yang salah dapat diunduh sebagai "
    "berkas XLSX berisi alasannya, untuk diperbaiki lalu diimpor lagi."
)


class NumberField(forms.CharField):
    """A NIK or No. KK field: typed or scanned with spaces, dots or dashes, which the input
    leaves room for and cleaning removes before any check (its length among them)."""

    def to_python(self, value):
        return number_typed(super().to_python(value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(maxlength=str(TYPED_NUMBER_LENGTH), inputmode="numeric", autocomplete="off")
        return attrs


class ResidentForm(forms.ModelForm):
    # The updated_at the clerk saw, so a save over somebody else's newer change is refused.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Resident
        fields = [
            "nik",
            "kk_number",
            "full_name",
            "birth_place",
            "birth_date",
            "sex",
            "blood_type",
            "religion",
            "marital_status",
            "occupation",
            "nationality",
            "address",
            "rt",
            "rw",
            "village",
            "phone",
            "life_status",
        ]
        field_classes = {"nik": NumberField, "kk_number": NumberField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.updated_at.isoformat()


class ResidentImportForm(ExtensionImportForm):
    valid_only = forms.BooleanField(
        label="Impor hanya baris yang valid", required=False, help_text=VALID_ONLY_HELP
    )

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].label = "Berkas SIAK/BIP (.xlsx atau .csv)"

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_upload_size(upload.size)
        except SpreadsheetError as exc:
            raise forms.ValidationError(exc.messages) from None
        return upload


class ResidentConfirmImportForm(ConfirmImportForm):
    valid_only = forms.BooleanField(widget=forms.HiddenInput, required=False)
