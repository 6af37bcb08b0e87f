"""Spreadsheets built to exhaust the server or to slip wrong values in (issue 9, holes 5, 6, 9)."""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from dukcapil.spreadsheets import HeaderRow, SpreadsheetError, read_table
from registry.models import Resident
from registry.siak import HEADERS
from tests.registry.factories import SIAK_HEADERS, nik_for, siak_row
from tests.sheets import ExcelError, hostile_xlsx, text_row, xlsx_of

IMPORT = reverse("admin:registry_resident_import")
CONFIRM = reverse("admin:registry_resident_process_import")


def two_million_rows() -> bytes:
    # One numbered cell per row: small, yet varied enough to pass the compression-ratio check.
    rows = (
        f'<row r="{n}"><c r="A{n}"><v>{n * 7919 % 100_003}</v></c></row>'
        for n in range(1, 2_000_001)
    )
    return hostile_xlsx({"Data": rows})


def stray_value_in_xfd1(rows: int = 10_000) -> bytes:
    head = '<row r="1"><c r="A1" t="inlineStr"><is><t>NIK</t></is></c>'
    head += '<c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>'
    body = (f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, rows + 1))
    return hostile_xlsx({"Data": [head, *body]})


@pytest.fixture(scope="module")
def tall() -> bytes:
    return two_million_rows()


def test_a_two_million_row_sheet_is_refused_from_its_size_in_bounded_memory(tall):
    assert len(tall) < 25 * 2**20  # under the upload limit: the rows themselves are the attack
    tracemalloc.start()
    with pytest.raises(SpreadsheetError, match=r"lebih dari 250\.000 baris data"):
        read_table(tall, "penduduk.xlsx", HeaderRow(("NIK",)))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 50 * 2**20  # Python never holds the rows; the scan stops at the cap


def test_a_stray_value_in_xfd1_is_refused_naming_the_cell():
    with pytest.raises(SpreadsheetError, match=r"sel XFD1 \(kolom ke-16\.384\), batasnya 200"):
        read_table(stray_value_in_xfd1(), "penduduk.xlsx", HeaderRow(("NIK",)))


def test_a_csv_reader_stops_after_the_row_cap(settings):
    settings.DUKCAPIL_IMPORT_MAX_ROWS = 5
    with pytest.raises(SpreadsheetError, match="lebih dari 5 baris data"):
        read_table(b"NIK\n" + b"1\n" * 100_000, "bip.csv")


def test_a_wide_csv_is_refused_by_its_cell_count(settings):
    settings.DUKCAPIL_IMPORT_MAX_CELLS = 100_000
    wide = b"NIK\n" + (b"1" + b"," * 16_383 + b"x\n") * 100
    with pytest.raises(SpreadsheetError, match=r"lebih dari 100\.000 sel"):
        read_table(wide, "bip.csv", HeaderRow(("NIK",)))


def test_a_header_below_a_title_is_found_and_rows_keep_their_numbers():
    data = hostile_xlsx(
        {
            "Data": [
                text_row(1, "DAFTAR PENDUDUK"),
                text_row(3, "NIK", "NAMA"),
                text_row(4, "1", "A"),
            ]
        }
    )
    table = read_table(data, "bip.xlsx", HeaderRow(("NIK",)))
    assert (table.headers, table.rows, table.row_numbers) == (["NIK", "NAMA"], [["1", "A"]], [4])


def test_a_hidden_or_summary_first_sheet_is_passed_over():
    data = hostile_xlsx(
        {
            "Rahasia": [text_row(1, "NIK"), text_row(2, "9")],
            "Ringkasan": [text_row(1, "JUMLAH", "40000")],
            "Data": [text_row(1, "NIK"), text_row(2, "1")],
        },
        hidden={"Rahasia"},
    )
    table = read_table(data, "bip.xlsx", HeaderRow(("NIK",)))
    assert (table.sheet, table.rows) == ("Data", [["1"]])


def test_a_missing_header_names_the_sheets_and_rows_read():
    data = hostile_xlsx(
        {"Ringkasan": [text_row(1, "JUMLAH")], "Lain": [text_row(25, "NIK")]}, hidden={"Lain"}
    )
    with pytest.raises(SpreadsheetError) as refused:
        read_table(data, "bip.xlsx", HeaderRow(("NIK",)))
    assert refused.value.messages == [
        "Baris judul kolom (NIK) tidak ditemukan; yang dibaca: baris 1–20 di lembar "
        "'Ringkasan'. Lembar tersembunyi tidak dibaca: 'Lain'."
    ]


def test_error_cells_and_nul_characters_are_reported_by_row_and_column():
    data = hostile_xlsx(
        {
            "Data": [
                text_row(1, "NIK", "GOL_DRH"),
                '<row r="2"><c r="A2" t="inlineStr"><is><t>a_x0000_b</t></is></c>'
                '<c r="B2" t="e"><v>#N/A</v></c></row>',
            ]
        }
    )
    table = read_table(data, "bip.xlsx", HeaderRow(("NIK",)))
    assert table.cell_problems == {
        2: [
            ("NIK", "sel berisi karakter NUL (\\x00) yang tidak sah."),
            ("GOL_DRH", "sel berisi galat Excel #N/A, bukan nilai."),
        ]
    }


@pytest.mark.django_db
def test_the_command_refuses_the_two_million_row_sheet(tall, tmp_path):
    path = tmp_path / "penduduk.xlsx"
    path.write_bytes(tall)
    with pytest.raises(CommandError, match=r"lebih dari 250\.000 baris data"):
        call_command("import_residents", str(path), verbosity=0)
    assert Resident.objects.count() == 0


@pytest.mark.django_db
def test_the_command_refuses_the_xfd1_sheet(tmp_path):
    path = tmp_path / "penduduk.xlsx"
    path.write_bytes(stray_value_in_xfd1())
    with pytest.raises(CommandError, match="terlalu lebar"):
        call_command("import_residents", str(path), verbosity=0)


@pytest.mark.django_db
def test_a_supervisor_uploading_the_hostile_sheets_gets_a_message(client, make_user, tall):
    client.force_login(make_user("Kepala Seksi"))
    for data, message in ((tall, "lebih dari 250.000 baris data"), (stray_value_in_xfd1(), "XFD1")):
        upload = SimpleUploadedFile("penduduk.xlsx", data)
        page = client.post(IMPORT, {"import_file": upload, "resource": "0"})
        assert page.status_code == 200
        assert message in page.content.decode()
    assert Resident.objects.count() == 0


@pytest.mark.django_db
def test_a_nul_byte_through_the_admin_is_a_row_message_not_a_500(client, make_user):
    client.force_login(make_user("Kepala Seksi"))
    header = ",".join(SIAK_HEADERS)
    row = ",".join(
        siak_row(NIK=nik_for(1), NAMA_LGKP="ANA\x00BEL").get(h, "") for h in SIAK_HEADERS
    )
    upload = SimpleUploadedFile("bip.csv", f"{header}\n{row}\n".encode())
    page = client.post(IMPORT, {"import_file": upload, "resource": "0"})
    assert page.status_code == 200
    assert "karakter NUL" in page.content.decode()
    assert Resident.objects.count() == 0


@pytest.mark.django_db
def test_a_nul_byte_through_the_command_is_a_row_message(tmp_path, capsys):
    header = ",".join(SIAK_HEADERS)
    row = ",".join(siak_row(NIK=nik_for(1), ALAMAT="JL.\x00X").get(h, "") for h in SIAK_HEADERS)
    path = tmp_path / "bip.csv"
    path.write_bytes(f"{header}\n{row}\n".encode())
    with pytest.raises(SystemExit):
        call_command("import_residents", str(path), verbosity=0)
    assert "Baris 2: ALAMAT: sel berisi karakter NUL" in capsys.readouterr().err
    assert Resident.objects.count() == 0


def _siak_xlsx(rows: list[dict]) -> bytes:
    return xlsx_of([HEADERS, *([row.get(h, "") for h in HEADERS] for row in rows)])


@pytest.mark.django_db
def test_an_error_cell_is_refused_naming_the_error_not_saved_as_a_default(client, make_user):
    client.force_login(make_user("Kepala Seksi"))
    rows = [
        siak_row(NIK=nik_for(1)),
        siak_row(NIK=nik_for(2), GOL_DRH=ExcelError("#N/A")),
        siak_row(NIK=nik_for(3), STATUS_PENDUDUK=ExcelError("#VALUE!")),
    ]
    upload = SimpleUploadedFile("bip.xlsx", _siak_xlsx(rows))
    preview = client.post(IMPORT, {"import_file": upload, "resource": "0", "valid_only": "on"})
    page = preview.content.decode()
    assert "<td>3</td><td>GOL_DRH</td><td>sel berisi galat Excel #N/A, bukan nilai.</td>" in page
    assert "<td>4</td><td>STATUS_PENDUDUK</td><td>sel berisi galat Excel #VALUE!" in page
    form = preview.context["confirm_form"]
    client.post(CONFIRM, {f.name: f.value() for f in form})
    # Only the clean row: no #N/A blood type became TT, no #VALUE! status became HIDUP.
    assert list(Resident.objects.values_list("nik", flat=True)) == [nik_for(1)]


def _month_first(day: int, month: int) -> str:
    return f"{month:02d}-{day:02d}-1990"


@pytest.mark.django_db
@pytest.mark.parametrize("valid_only", ["", "on"])
def test_a_file_with_month_first_dates_is_refused_whole(client, make_user, valid_only):
    client.force_login(make_user("Kepala Seksi"))
    # Written month first, as Excel in an English locale does; the 25th cannot even be read.
    days = [(3, 5), (7, 2), (11, 8), (25, 1), (4, 10), (9, 12)]
    rows = [
        siak_row(NIK=nik_for(i, day=d, month=m), TGL_LHR=_month_first(d, m))
        for i, (d, m) in enumerate(days, start=1)
    ]
    upload = SimpleUploadedFile("bip.xlsx", _siak_xlsx(rows))
    preview = client.post(
        IMPORT, {"import_file": upload, "resource": "0", "valid_only": valid_only}
    )
    page = preview.content.decode()
    assert "Tanggal lahir tampaknya ditulis bulan dulu (BB-HH-TTTT)" in page
    assert not preview.context.get("confirm_form")
    assert Resident.objects.count() == 0


@pytest.mark.django_db
def test_the_command_refuses_month_first_dates_too(tmp_path):
    rows = [
        siak_row(NIK=nik_for(i, day=d, month=m), TGL_LHR=_month_first(d, m))
        for i, (d, m) in enumerate([(3, 5), (7, 2), (11, 8)], start=1)
    ]
    path = tmp_path / "bip.xlsx"
    path.write_bytes(_siak_xlsx(rows))
    with pytest.raises(CommandError, match="ditulis bulan dulu"):
        call_command("import_residents", str(path), verbosity=0)
    assert Resident.objects.count() == 0


@pytest.mark.django_db
def test_a_few_rows_whose_dates_disagree_with_the_nik_are_only_flagged(client, make_user):
    client.force_login(make_user("Kepala Seksi"))
    rows = [
        siak_row(NIK=nik_for(i, day=i, month=1)) | {"TGL_LHR": f"{i:02d}-01-1990"}
        for i in range(1, 8)
    ]
    rows += [
        siak_row(NIK=nik_for(8, day=3, month=5), TGL_LHR=_month_first(3, 5)),
        siak_row(NIK=nik_for(9, day=7, month=2), TGL_LHR=_month_first(7, 2)),
        siak_row(NIK=nik_for(10, day=9, month=9), TGL_LHR="09-09-1985"),
    ]
    upload = SimpleUploadedFile("bip.xlsx", _siak_xlsx(rows))
    preview = client.post(IMPORT, {"import_file": upload, "resource": "0"})
    page = preview.content.decode()
    assert "bulan dulu" not in page
    assert "NIK perlu ditinjau (tetap diimpor): <strong>3</strong>" in page
    form = preview.context["confirm_form"]
    client.post(CONFIRM, {f.name: f.value() for f in form})
    assert Resident.objects.count() == 10
    assert Resident.objects.exclude(nik_review_note="").count() == 3
