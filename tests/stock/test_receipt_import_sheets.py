"""The blank-receipt import takes only a serial list under its NO_SERI header (issue 9, hole 6):
a resident list or a headerless list is never recorded as a batch of blanks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stock.models import Blank, Receipt
from tests.sheets import ExcelError, xlsx_of

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:stock_receipt_import")
CONFIRM = reverse("admin:stock_receipt_process_import")


@pytest.fixture
def upload(client, keeper, store):
    """Post a file to the import as the Pengelola Blanko; the page of the preview comes back."""
    client.force_login(keeper)

    def post(data: bytes, name: str = "seri.xlsx"):
        details = {
            "received_on": "2020-01-27",
            "source": "provinsi",
            "reference": "BAST-8",
            "quantity": "2",
            "location": store.pk,
            "unit_cost": "0",
        }
        return client.post(IMPORT, details | {"import_file": SimpleUploadedFile(name, data)})

    return post


def _refused(preview) -> str:
    assert preview.status_code == 200
    assert not preview.context.get("confirm_form")
    assert not Blank.objects.exists() and not Receipt.objects.exists()
    return preview.content.decode()


def test_a_headerless_list_is_refused_rather_than_losing_its_first_serial(upload):
    page = _refused(upload(b"KTP0500\nKTP0501\nKTP0502\n", "seri.csv"))
    assert "Baris judul kolom (NO_SERI atau NOMOR_SERI" in page
    assert "tidak ditemukan; yang dibaca: baris 1–20." in page


def test_a_resident_list_is_refused_for_want_of_a_serial_header(upload):
    rows = [["NIK", "NAMA_LGKP"], ["5371012701900001", "YOHANES"], ["5371012701900002", "ANA"]]
    page = _refused(upload(xlsx_of(rows, sheet_name="Penduduk")))
    assert "tidak ditemukan; yang dibaca: baris 1–20 di lembar &#x27;Penduduk&#x27;." in page


def test_niks_under_a_serial_header_are_refused_naming_their_rows(upload):
    rows = [["NO_SERI"], ["KTP0500"], ["5371012701900001"], [5371012701900002]]
    page = _refused(upload(xlsx_of(rows)))
    assert "Kolom NO_SERI berisi angka 16 digit seperti NIK atau No. KK (baris 3, 4)" in page


def test_an_error_cell_among_the_serials_is_refused_naming_it(upload):
    rows = [["NO_SERI"], ["KTP0500"], [ExcelError("#REF!")], ["KTP0502"]]
    page = _refused(upload(xlsx_of(rows)))
    assert "Baris 3, kolom NO_SERI: sel berisi galat Excel #REF!, bukan nilai." in page


def test_a_list_below_a_title_keeps_every_serial(client, upload):
    rows = [["DAFTAR BLANKO KTP-EL TAHAP 8"], [], ["No Seri"], ["KTP0500"], ["KTP0501"]]
    preview = upload(xlsx_of(rows))
    assert "Blanko yang akan dicatat: <strong>2</strong>" in preview.content.decode()
    form = preview.context["confirm_form"]
    client.post(CONFIRM, {name: form[name].value() for name in form.fields})
    assert sorted(Blank.objects.values_list("serial", flat=True)) == ["KTP0500", "KTP0501"]
