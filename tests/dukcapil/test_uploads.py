import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.core.management import call_command
from django.urls import reverse

from dukcapil.uploads import UploadGone, UploadStorage, private_save
from stock.models import Location, LocationKind, Receipt
from tests.threads import results_together

pytestmark = pytest.mark.django_db

RECEIPT_IMPORT = reverse("admin:stock_receipt_import")


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.DUKCAPIL_UPLOAD_DIR = tmp_path / "unggahan"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.DUKCAPIL_UPLOAD_DIR


class ByteCounter(FileUploadHandler):
    """Stands in for the handlers that keep an upload in memory or on disk."""

    received = 0

    def receive_data_chunk(self, raw_data, start):
        ByteCounter.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.fixture
def keeper(client, make_user):
    client.force_login(make_user("Pengelola Blanko"))
    return client


def _receipt_upload(client, data: bytes):
    store = Location.objects.create(kind=LocationKind.STORE, name="Gudang Dukcapil")
    details = {
        "received_on": "2020-01-27",
        "source": "provinsi",
        "reference": "BAST-8",
        "quantity": "2",
    }
    upload = SimpleUploadedFile("seri.csv", data)
    return client.post(
        RECEIPT_IMPORT, details | {"location": store.pk, "unit_cost": "0", "import_file": upload}
    )


def test_it_refuses_an_oversized_upload_before_any_of_it_is_stored(keeper, settings, upload_dir):
    settings.DUKCAPIL_UPLOAD_MAX_BYTES = 100_000
    settings.FILE_UPLOAD_HANDLERS = [
        "dukcapil.uploads.SizeLimitUploadHandler",
        "tests.dukcapil.test_uploads.ByteCounter",
    ]
    ByteCounter.received = 0
    page = _receipt_upload(keeper, b"NO_SERI\n" + b"KTP0000001\n" * 100_000)
    assert "Berkas terlalu besar (1 MB); batasnya 0,1 MB" in page.content.decode()
    assert ByteCounter.received <= settings.DUKCAPIL_UPLOAD_MAX_BYTES
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []
    assert Receipt.objects.count() == 0


def test_it_stores_an_upload_within_the_limit_as_it_came(keeper, settings, upload_dir):
    settings.DUKCAPIL_UPLOAD_MAX_BYTES = 100_000
    page = _receipt_upload(keeper, b"NO_SERI\nKTP0500\nKTP0501\n")
    assert page.context["confirm_form"]
    [stored] = upload_dir.iterdir()
    assert stored.read_bytes() == b"NO_SERI\nKTP0500\nKTP0501\n"


def test_it_gives_one_of_two_simultaneous_confirms_the_file_and_the_other_nothing(make_user):
    storage = UploadStorage(owner=make_user("Kepala Seksi"))
    storage.save(b"NIK\n1\n")

    def confirm():
        return UploadStorage(name=storage.name).read()

    outcomes, errors = results_together(*[confirm] * 8, expected=UploadGone)
    assert errors == []
    assert [o for o in outcomes if not isinstance(o, UploadGone)] == [b"NIK\n1\n"]
    assert len(outcomes) == 8


def test_it_deletes_uploads_and_rejected_rows_older_than_an_hour(make_user, upload_dir, settings):
    owner = make_user("Kepala Seksi")
    old = private_save(owner=owner, chunks=[b"lama"], suffix=".xlsx")
    fresh = private_save(owner=owner, chunks=[b"baru"], suffix=".xlsx")
    legacy = settings.MEDIA_ROOT / "django-import-export" / "40000-penduduk"
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(b"NIK\n")
    two_hours_ago = time.time() - 2 * 60 * 60
    for path in (upload_dir / f"{owner.pk}-{old}.xlsx", legacy):
        os.utime(path, (two_hours_ago, two_hours_ago))
    out = io.StringIO()
    call_command("uploads_expire", stdout=out)
    assert "2 berkas kedaluwarsa dihapus" in out.getvalue()
    assert [p.name for p in upload_dir.iterdir()] == [f"{owner.pk}-{fresh}.xlsx"]
    assert not legacy.exists()


def test_it_sweeps_expired_files_whenever_a_new_one_is_stored(make_user, upload_dir):
    owner = make_user("Kepala Seksi")
    old = private_save(owner=owner, chunks=[b"lama"], suffix=".xlsx")
    path = upload_dir / f"{owner.pk}-{old}.xlsx"
    os.utime(path, (0, 0))
    private_save(owner=owner, chunks=[b"baru"], suffix=".xlsx")
    assert not path.exists()


def test_it_records_one_receipt_when_its_confirm_is_posted_twice(keeper):
    preview = _receipt_upload(keeper, b"NO_SERI\nKTP0500\nKTP0501\n")
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    keeper.post(reverse("admin:stock_receipt_process_import"), data)
    again = keeper.post(reverse("admin:stock_receipt_process_import"), data, follow=True)
    assert "Impor ini sudah diproses" in again.content.decode()
    assert Receipt.objects.get().quantity == 2
