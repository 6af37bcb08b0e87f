"""SIAK extracts as they really come: the SIAK database's own column names, the region as four
numbers, common variants and extra columns, through the admin and the command line."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from dukcapil.spreadsheets import read_table
from registry.models import Resident
from registry.services.resident_import import rejected_rows_xlsx, resident_import
from registry.siak import HEADER_ROW
from tests.registry.factories import nik_for
from tests.sheets import ExcelError, xlsx_of

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:registry_resident_import")
CONFIRM = reverse("admin:registry_resident_process_import")
EXTRAS = ["STAT_HBKEL", "PDDK_AKH", "NAMA_LGKP_IBU", "NAMA_LGKP_AYAH"]
# The SIAK database's own names, with the common variants for birth place, date and sex and the
# long names of the kecamatan and kelurahan numbers.
SIAK_DB_HEADERS = [
    "NIK",
    "NO_KK",
    "NAMA_LGKP",
    "TEMPAT_LAHIR",
    "TANGGAL_LAHIR",
    "JENIS_KELAMIN",
    "GOL_DRH",
    "AGAMA",
    "STAT_KWN",
    "JENIS_PKRJN",
    "ALAMAT",
    "NO_RT",
    "NO_RW",
    "NO_PROP",
    "NO_KAB",
    "NO_KECAMATAN",
    "NO_KELURAHAN",
    *EXTRAS,
]


def siak_db_row(serial: int, **overrides) -> list:
    row = {
        "NIK": nik_for(serial),
        "NO_KK": "5371012001150003",
        "NAMA_LGKP": "YOHANES NDOLU",
        "TEMPAT_LAHIR": "KUPANG",
        "TANGGAL_LAHIR": "27-01-1990",
        "JENIS_KELAMIN": 1,
        "GOL_DRH": "O",
        "AGAMA": "KRISTEN",
        "STAT_KWN": "KAWIN",
        "JENIS_PKRJN": "WIRASWASTA",
        "ALAMAT": "JL. EL TARI NO. 5",
        "NO_RT": 3,
        "NO_RW": 2,
        # SIAK writes the region as numbers without leading zeros: kelurahan 53.71.01.1001.
        "NO_PROP": 53,
        "NO_KAB": 71,
        "NO_KECAMATAN": 1,
        "NO_KELURAHAN": 1001,
        "STAT_HBKEL": "KEPALA KELUARGA",
        "PDDK_AKH": "SLTA/SEDERAJAT",
        "NAMA_LGKP_IBU": "MARIA NDOLU",
        "NAMA_LGKP_AYAH": "PAULUS NDOLU",
    } | overrides
    return [row[h] for h in SIAK_DB_HEADERS]


def siak_db_file(*rows: list, headers=SIAK_DB_HEADERS) -> bytes:
    return xlsx_of([["DATA PENDUDUK KOTA KUPANG"], [], list(headers), *rows])


@pytest.fixture
def kasi(client, make_user):
    client.force_login(make_user("Kepala Seksi"))
    return client


def _upload(client, data: bytes, **extra):
    upload = SimpleUploadedFile("siak.xlsx", data)
    return client.post(IMPORT, {"import_file": upload, "resource": "0", **extra})


def test_it_imports_a_siak_database_extract_and_builds_the_kelurahan_from_four_numbers(kasi):
    data = siak_db_file(siak_db_row(1), siak_db_row(2, NO_KELURAHAN=1002, JENIS_KELAMIN=2))
    preview = _upload(kasi, data)
    page = preview.content.decode()
    assert "Penduduk baru: <strong>2</strong>" in page
    ignored = "Kolom diabaikan (tidak dibaca): STAT_HBKEL, PDDK_AKH, NAMA_LGKP_IBU, NAMA_LGKP_AYAH"
    assert ignored in page

    form = preview.context["confirm_form"]
    kasi.post(CONFIRM, {f.name: f.value() for f in form})

    first, second = Resident.objects.select_related("village").order_by("nik")
    assert (first.village.code, first.village.name) == ("53.71.01.1001", "Namosain")
    assert (first.birth_place, first.birth_date, first.sex) == ("KUPANG", dt.date(1990, 1, 27), "L")
    assert (first.rt, first.rw) == ("003", "002")
    assert (second.village.code, second.sex) == ("53.71.01.1002", "P")


def test_the_command_line_imports_the_same_extract(tmp_path, capsys):
    path = tmp_path / "siak.xlsx"
    path.write_bytes(siak_db_file(siak_db_row(1)))
    call_command("import_residents", str(path), verbosity=0)
    assert "Diimpor: 1 baru" in capsys.readouterr().out
    assert Resident.objects.get().village.code == "53.71.01.1001"


def test_region_numbers_outside_kupang_reject_the_row_naming_the_four_columns(kasi):
    data = siak_db_file(siak_db_row(1), siak_db_row(2, NO_KAB=1))
    page = _upload(kasi, data).content.decode()
    assert (
        "<td>5</td><td>NO_PROP/NO_KAB/NO_KECAMATAN/NO_KELURAHAN</td>"
        "<td>kode kelurahan &#x27;5301011001&#x27; bukan kelurahan di Kota Kupang.</td>"
    ) in page
    assert "tidak ada yang diimpor" in page
    assert Resident.objects.count() == 0


def test_a_bad_cell_is_reported_under_the_files_own_column_name(kasi):
    page = _upload(kasi, siak_db_file(siak_db_row(1, TANGGAL_LAHIR="31-02-1990"))).content.decode()
    cell = "<td>4</td><td>TANGGAL_LAHIR</td><td>tanggal 31-02-1990 tidak ada di kalender.</td>"
    assert cell in page


def test_the_error_view_for_bad_rows_lists_the_ignored_columns_too(kasi):
    page = _upload(kasi, siak_db_file(siak_db_row(1, NO_RT="X"))).content.decode()
    assert "1 baris salah" in page
    assert "Kolom diabaikan (tidak dibaca): STAT_HBKEL, PDDK_AKH" in page


def test_a_missing_column_is_explained_with_the_columns_that_were_ignored(kasi):
    # A misspelt date header: the clerk sees both that TGL_LHR is missing and why.
    headers = ["TGL LAHIR" if h == "TANGGAL_LAHIR" else h for h in SIAK_DB_HEADERS]
    page = _upload(kasi, siak_db_file(siak_db_row(1), headers=headers)).content.decode()
    assert "Kolom wajib tidak ada: TGL_LHR." in page
    assert "Kolom diabaikan (tidak dibaca): TGL LAHIR, STAT_HBKEL" in page
    assert Resident.objects.count() == 0


def test_without_a_complete_region_the_kelurahan_columns_are_asked_for():
    headers = [h for h in SIAK_DB_HEADERS if h != "NO_PROP"]
    row = [v for h, v in zip(SIAK_DB_HEADERS, siak_db_row(1), strict=True) if h != "NO_PROP"]
    table = read_table(siak_db_file(row, headers=headers), "siak.xlsx", HEADER_ROW)
    report = resident_import(table=table, actor=None, dry_run=True)
    assert report.file_problems == [
        "Kolom wajib tidak ada: KODE_KEL atau NAMA_KEL (atau NO_PROP, NO_KAB, NO_KEC, NO_KEL)."
    ]
    assert report.ignored_headers[:3] == ["NO_KAB", "NO_KECAMATAN", "NO_KELURAHAN"]


def test_an_error_cell_in_an_ignored_column_spoils_nothing(kasi):
    data = siak_db_file(siak_db_row(1, NAMA_LGKP_IBU=ExcelError("#N/A")))
    preview = _upload(kasi, data)
    assert "Penduduk baru: <strong>1</strong>" in preview.content.decode()


def test_an_error_cell_in_a_region_number_rejects_the_row():
    data = siak_db_file(siak_db_row(1, NO_KELURAHAN=ExcelError("#REF!")))
    table = read_table(data, "siak.xlsx", HEADER_ROW)
    report = resident_import(table=table, actor=None)
    [row] = report.rejected
    assert row.reason == "NO_KELURAHAN: sel berisi galat Excel #REF!, bukan nilai."
    assert not report.applied and Resident.objects.count() == 0


def test_the_rejected_rows_go_back_in_the_files_own_layout():
    data = siak_db_file(siak_db_row(1), siak_db_row(2, NO_RT="X"))
    report = resident_import(
        table=read_table(data, "siak.xlsx", HEADER_ROW), actor=None, valid_only=True
    )
    rejected = read_table(b"".join(rejected_rows_xlsx(report)), "ditolak.xlsx")
    assert rejected.headers == [*SIAK_DB_HEADERS, "BARIS_ASAL", "ALASAN_DITOLAK"]
    assert rejected.rows[0][SIAK_DB_HEADERS.index("NO_KELURAHAN")] == 1001
    # Fixed and imported again, the rejected file is read like the original.
    rejected.rows[0][SIAK_DB_HEADERS.index("NO_RT")] = "4"
    again = resident_import(table=rejected, actor=None)
    assert again.applied and Resident.objects.get(nik=nik_for(2)).rt == "004"


def test_of_two_columns_with_one_meaning_the_first_is_read_and_the_second_listed():
    headers = [*SIAK_DB_HEADERS, "TGL_LHR"]
    data = siak_db_file([*siak_db_row(1), "01-01-1980"], headers=headers)
    report = resident_import(
        table=read_table(data, "siak.xlsx", HEADER_ROW), actor=None, dry_run=True
    )
    assert report.created[0]["birth_date"] == dt.date(1990, 1, 27)
    assert report.ignored_headers == [*EXTRAS, "TGL_LHR"]
