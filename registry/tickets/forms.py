"""The forms of the queue pages; their cleaned data are the services' keyword arguments."""

import uuid

from django import forms

from dukcapil.privacy import TYPED_NUMBER_LENGTH
from registry.models import KIOSK_SERVICES, TicketService

NIK_FIELD = {
    "label": "NIK (tidak wajib)",
    "required": False,
    "max_length": TYPED_NUMBER_LENGTH,
    "help_text": "Bila diisi, satu NIK hanya dapat memegang satu nomor per layanan per hari.",
}


class ClerkIssueForm(forms.Form):
    service = forms.ChoiceField(label="Layanan", choices=TicketService.choices)
    nik = forms.CharField(
        **NIK_FIELD,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class KioskForm(ClerkIssueForm):
    service = forms.ChoiceField(
        label="Layanan", choices=[(s.value, s.label) for s in KIOSK_SERVICES]
    )
    # One per page shown: a second tap on the same page gets the number the first one took.
    token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)


class DeskAction(forms.Form):
    """One button of the desk panel. ``ticket`` is the number the page showed, so a second
    click acts on nothing new."""

    CALL, RECALL, SERVE, SKIP, TRANSFER = "panggil", "ulang", "selesai", "lewati", "alihkan"
    action = forms.ChoiceField(choices=[(a, a) for a in (CALL, RECALL, SERVE, SKIP, TRANSFER)])
    ticket = forms.IntegerField(required=False, min_value=1)
    service = forms.ChoiceField(
        label="Alihkan ke layanan", choices=TicketService.choices, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("action") != self.CALL and not data.get("ticket"):
            raise forms.ValidationError("Loket ini tidak sedang memanggil nomor.")
        if data.get("action") == self.TRANSFER and not data.get("service"):
            raise forms.ValidationError("Pilih layanan tujuan.")
        return data
