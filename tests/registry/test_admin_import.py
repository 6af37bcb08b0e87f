import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dukcapil.models import AuditAction, AuditEntry
from registry.models import Resident
from tests.registry.factories import SIAK_HEADERS, nik_for, siak_row

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:registry_resident_import")
CONFIRM = reverse("admin:registry_resident_process_import")
IMPORT_CANCEL = reverse("admin:registry_resident_import_cancel")


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


# Uploads are private to their uploader, single-use, and every import is audited.


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.DUKCAPIL_UPLOAD_DIR = tmp_path / "unggahan"
    return settings.DUKCAPIL_UPLOAD_DIR


def _confirm_data(preview) -> dict:
    return {f.name: f.value() for f in preview.context["confirm_form"]}


@pytest.fixture
def second_kasi(make_user):
    other = Client()
    other.force_login(make_user("Kepala Seksi", username="kasi-kedua"))
    return other


def test_it_keeps_a_previewed_upload_outside_media_readable_only_by_the_service(
    kasi, upload_dir, settings
):
    _upload(kasi, _csv([siak_row()]))
    [stored] = upload_dir.iterdir()
    assert stored.stat().st_mode & 0o777 == 0o600
    assert upload_dir.stat().st_mode & 0o777 == 0o700
    assert not (settings.MEDIA_ROOT / "django-import-export").exists()


def test_it_answers_404_to_a_second_clerk_confirming_someone_elses_upload(
    kasi, second_kasi, upload_dir
):
    preview = _upload(kasi, _csv([siak_row()]))
    assert second_kasi.post(CONFIRM, _confirm_data(preview)).status_code == 404
    assert second_kasi.post(IMPORT_CANCEL, _confirm_data(preview)).status_code == 404
    assert Resident.objects.count() == 0
    assert len(list(upload_dir.iterdir())) == 1  # still there for its owner
    _confirm(kasi, preview)
    assert Resident.objects.count() == 1


def test_it_answers_404_to_a_made_up_or_path_like_upload_name(kasi):
    preview = _upload(kasi, _csv([siak_row()]))
    for name in ("../../dukcapil/settings.py", "1-../../x", "abc"):
        data = _confirm_data(preview) | {"import_file_name": name}
        assert kasi.post(CONFIRM, data).status_code == 404
    assert Resident.objects.count() == 0


def test_it_answers_404_to_a_second_clerk_fetching_someone_elses_rejected_rows(kasi, second_kasi):
    preview = _upload(kasi, _csv([siak_row(NIK="5371013102900001")]), valid_only="on")
    url = reverse(
        "admin:registry_resident_import_rejected", args=[preview.context["result"].rejected_token]
    )
    assert second_kasi.get(url).status_code == 404
    assert kasi.get(url).status_code == 200


def test_it_deletes_the_upload_once_the_import_is_confirmed(kasi, upload_dir):
    preview = _upload(kasi, _csv([siak_row()]))
    _confirm(kasi, preview)
    assert list(upload_dir.glob("*.unggahan")) == []


def test_it_deletes_the_upload_when_the_clerk_cancels(kasi, upload_dir):
    preview = _upload(kasi, _csv([siak_row()]))
    assert "Batalkan impor" in preview.content.decode()
    done = kasi.post(IMPORT_CANCEL, _confirm_data(preview), follow=True)
    assert "Impor dibatalkan" in done.content.decode()
    assert list(upload_dir.iterdir()) == []
    assert Resident.objects.count() == 0


def test_it_keeps_no_upload_of_a_preview_that_is_refused(kasi, upload_dir):
    _upload(kasi, _csv([siak_row(NIK="5371013102900001")]))
    # Only the rejected rows stay, for the clerk to download and fix within the hour.
    assert [p.suffix for p in upload_dir.iterdir()] == [".xlsx"]


def test_it_imports_once_when_the_confirm_button_is_clicked_twice(kasi):
    preview = _upload(kasi, _csv([siak_row(NIK=nik_for(i)) for i in (1, 2)]))
    data = _confirm_data(preview)
    kasi.post(CONFIRM, data)
    again = kasi.post(CONFIRM, data, follow=True)
    assert again.status_code == 200
    assert "Impor ini sudah diproses" in again.content.decode()
    assert Resident.objects.count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 1


def test_it_records_who_imported_which_file_and_what_came_of_it(kasi):
    rows = [siak_row(NIK=nik_for(1)), siak_row(NIK="5371013102900001")]
    preview = _upload(kasi, _csv(rows), name="bip-alak.csv", valid_only="on")
    _confirm(kasi, preview)
    entry = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert entry.actor_username == "kepala-seksi"
    assert entry.detail == {
        "model": "registry.resident",
        "file": "bip-alak.csv",
        "applied": True,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
    }


def test_it_records_an_import_from_the_command_line_too(tmp_path, make_user):
    make_user("Kepala Seksi")
    path = tmp_path / "bip.csv"
    path.write_bytes(_csv([siak_row(NIK=nik_for(1))]))
    call_command("import_residents", str(path), "--user", "kepala-seksi", verbosity=0)
    entry = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert entry.actor_username == "kepala-seksi"
    assert (entry.detail["file"], entry.detail["created"]) == ("bip.csv", 1)
