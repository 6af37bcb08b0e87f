import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.models import Resident
from tests.registry.factories import SIAK_HEADERS, nik_for, siak_row

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:registry_resident_import")
CONFIRM = reverse("admin:registry_resident_process_import")


def _csv(rows, *, encoding="utf-8", delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, SIAK_HEADERS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _upload(client, data: bytes, name="bip.csv", **extra):
    upload = SimpleUploadedFile(name, data)
    return client.post(IMPORT, {"import_file": upload, "resource": "0", **extra})


def _confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(CONFIRM, {f.name: f.value() for f in form}, follow=True)


@pytest.fixture
def kasi(client, make_user):
    client.force_login(make_user("Kepala Seksi"))
    return client


def test_a_supervisor_previews_then_confirms_an_import(kasi):
    rows = [siak_row(NIK=nik_for(i), NAMA_LGKP="WARGA") for i in (1, 2)]
    preview = _upload(kasi, _csv(rows))
    assert Resident.objects.count() == 0  # the preview writes nothing
    assert "Penduduk baru: <strong>2</strong>" in preview.content.decode()
    done = _confirm(kasi, preview)
    assert "Impor selesai: 2 penduduk baru" in done.content.decode()
    assert Resident.objects.count() == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_files_in_each_encoding_excel_writes_are_read(kasi, encoding):
    rows = [siak_row(TMPT_LHR="SÃO TOMÉ", ALAMAT="JL. CAFÉ NO. 1")]
    preview = _upload(kasi, _csv(rows, encoding=encoding, delimiter=";"))
    _confirm(kasi, preview)
    resident = Resident.objects.get()
    assert (resident.birth_place, resident.address) == ("SÃO TOMÉ", "JL. CAFÉ NO. 1")


def test_bad_rows_are_listed_with_row_and_column_and_nothing_is_offered(kasi):
    rows = [
        siak_row(NIK=nik_for(1)),
        siak_row(NIK="5371013102900001"),
        siak_row(NIK=nik_for(3), NO_RT="X"),
    ]
    page = _upload(kasi, _csv(rows))
    text = page.content.decode()
    assert "confirm_form" not in page.context or page.context["confirm_form"] is None
    assert "<td>3</td><td>NIK</td>" in text and "<td>4</td><td>NO_RT</td>" in text
    assert "tidak ada yang diimpor" in text
    assert Resident.objects.count() == 0


def test_valid_only_imports_the_good_rows_and_offers_the_rejected_file(kasi):
    rows = [siak_row(NIK=nik_for(1)), siak_row(NIK="5371013102900001")]
    preview = _upload(kasi, _csv(rows), valid_only="on")
    done = _confirm(kasi, preview)
    assert Resident.objects.count() == 1
    [link] = [m for m in done.context["messages"] if "ditolak" in str(m)]
    url = str(link).split('href="')[1].split('"')[0]
    response = kasi.get(url)
    assert response.status_code == 200
    assert zipfile.is_zipfile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_rejected_file_is_not_for_everyone(client, kasi, make_user):
    rows = [siak_row(NIK="5371013102900001")]
    preview = _upload(kasi, _csv(rows), valid_only="on")
    token = preview.context["result"].rejected_token
    url = reverse("admin:registry_resident_import_rejected", args=[token])
    client.force_login(make_user("Operator Cetak"))
    assert client.get(url).status_code == 403


def test_a_staff_user_without_the_import_permission_gets_403(client, make_user):
    client.force_login(make_user("Petugas Pendaftaran"))
    assert client.get(IMPORT).status_code == 403
    assert _upload(client, _csv([siak_row()])).status_code == 403
    assert Resident.objects.count() == 0


def test_an_oversize_upload_is_refused(kasi, settings):
    settings.DUKCAPIL_UPLOAD_MAX_BYTES = 1000
    page = _upload(kasi, _csv([siak_row(NIK=nik_for(i)) for i in range(1, 30)]))
    assert "MB" in page.content.decode() and page.context["form"].errors
    assert Resident.objects.count() == 0


def test_a_zip_bomb_is_refused(kasi, settings):
    settings.DUKCAPIL_XLSX_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    page = _upload(kasi, buffer.getvalue(), name="bip.xlsx")
    assert page.context["form"].errors["import_file"]
    assert Resident.objects.count() == 0


def test_another_kind_of_file_is_refused(kasi):
    page = _upload(kasi, b"%PDF-1.4", name="bip.pdf")
    assert ".xlsx atau .csv" in page.content.decode()
