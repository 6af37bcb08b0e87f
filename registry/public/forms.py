"""The forms of the public pages, worded for residents."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from dukcapil.privacy import TYPED_NUMBER_LENGTH, number_typed
from registry.nik import parse_nik
from registry.public.selectors import villages_by_district

DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y"]
DATE_MESSAGE = "Tulis tanggal lahir sebagai HH-BB-TTTT, misalnya 17-08-1985."
OLDEST = dt.date(1900, 1, 1)


class StatusLookupForm(forms.Form):
    nik = forms.CharField(
        label="NIK",
        max_length=TYPED_NUMBER_LENGTH,
        help_text="16 angka, seperti tertulis di Kartu Keluarga.",
        error_messages={
            "required": "Isi NIK Anda.",
            "max_length": "NIK terdiri dari 16 angka.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    tanggal_lahir = forms.DateField(
        label="Tanggal lahir",
        input_formats=DATE_FORMATS,
        help_text="HH-BB-TTTT, misalnya 17-08-1985.",
        error_messages={"required": "Isi tanggal lahir Anda.", "invalid": DATE_MESSAGE},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "bday", "placeholder": "HH-BB-TTTT"}
        ),
    )

    def clean_nik(self) -> str:
        nik = number_typed(self.cleaned_data["nik"])
        parse_nik(nik)  # its ValidationError says what is wrong, in Indonesian
        return nik

    def clean_tanggal_lahir(self) -> dt.date:
        born = self.cleaned_data["tanggal_lahir"]
        if not OLDEST <= born <= timezone.localdate():
            raise ValidationError("Tanggal lahir tidak mungkin. " + DATE_MESSAGE)
        return born


class VillageForm(forms.Form):
    """The kelurahan whose list to show (one at a time: never the whole city at once)."""

    kelurahan = forms.ChoiceField(
        label="Kelurahan",
        error_messages={
            "required": "Pilih kelurahan Anda.",
            "invalid_choice": "Kelurahan tidak dikenal. Pilih dari daftar.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = villages_by_district()
        self._villages = {v.code: v for _, villages in groups for v in villages}
        self.fields["kelurahan"].choices = [
            ("", "— pilih kelurahan —"),
            *((district, [(v.code, v.name) for v in villages]) for district, villages in groups),
        ]

    def clean_kelurahan(self):
        return self._villages[self.cleaned_data["kelurahan"]]
