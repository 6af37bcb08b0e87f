from django import forms

from shifts.models import Post, ShiftType, Staff


class CellForm(forms.Form):
    """One person on one date: a shift and post, or off duty when both are empty."""

    staff = forms.ModelChoiceField(Staff.objects.filter(active=True), label="Petugas")
    day = forms.DateField(label="Tanggal", widget=forms.DateInput(attrs={"type": "date"}))
    shift_type = forms.ModelChoiceField(
        ShiftType.objects.all(), label="Shift", required=False, empty_label="Libur"
    )
    post = forms.ModelChoiceField(Post.objects.all(), label="Pos", required=False)
    reason = forms.CharField(
        label="Alasan (wajib untuk jadwal terbit)", required=False, max_length=500
    )


class GridUploadForm(forms.Form):
    file = forms.FileField(
        label="Berkas jadwal (.xlsx atau .csv)",
        help_text="Format sama dengan hasil unduhan: NIP, NAMA, lalu satu kolom per tanggal.",
    )
