import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dukcapil.spreadsheets import Workbook, read_table
from registry.models import Resident
from registry.services.resident_import import (
    REASON_HEADER,
    rejected_rows_xlsx,
    resident_import,
)
from registry.siak import HEADER_ROW, HEADERS
from tests.registry.factories import SIAK_HEADERS, make_resident, nik_for, siak_row, table_of

pytestmark = pytest.mark.django_db

History = Resident.history.model


def _rows(count: int) -> list[dict]:
    return [
        siak_row(NIK=nik_for(i + 1), NAMA_LGKP=f"WARGA NOMOR {chr(65 + i % 26)}")
        for i in range(count)
    ]


def test_it_imports_every_row_and_records_who_did_it(make_user):
    clerk = make_user("Kepala Seksi")
    report = resident_import(table=table_of(_rows(3)), actor=clerk, source_name="bip.xlsx")
    assert report.applied and len(report.created) == 3
    yohanes = Resident.objects.get(nik=nik_for(1))
    assert (yohanes.village.name, yohanes.rt, yohanes.siak_record_status) == ("Namosain", "003", 3)
    entry = yohanes.history.get()
    assert (entry.history_type, entry.history_user, entry.history_change_reason) == (
        "+",
        clerk,
        "Impor bip.xlsx",
    )


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("NIK", "5371013102900001", "tidak ada di kalender"),
        ("NIK", "53710127019000", "16 digit"),
        ("NIK", 5371012701900099, "sebagai angka"),
        ("NO_KK", "5371012001150000", "nomor urut"),
        ("NAMA_LGKP", "", "wajib diisi"),
        ("NAMA_LGKP", '=HYPERLINK("x")', "hanya boleh huruf"),
        ("TGL_LHR", "31-02-1990", "tidak ada di kalender"),
        ("TGL_LHR", "kemarin", "bukan tanggal"),
        ("JENIS_KLMIN", "X", "Jenis kelamin 'X' tidak dikenal"),
        ("AGAMA", "LAINNYA", "Agama 'LAINNYA' tidak dikenal"),
        ("STAT_KWN", "", "Status kawin '(kosong)'"),
        ("NO_RT", "ABC", "RT harus angka"),
        ("KODE_KEL", "5371999999", "bukan kelurahan di Kota Kupang"),
        ("NAMA_KEL", "OEBOBO", "bukan OEBOBO"),
        ("STAT_RKM", "9", "gunakan kode 1–8"),
    ],
)
def test_it_reports_each_bad_row_and_saves_nothing(column, value, reason):
    rows = _rows(3)
    rows[1][column] = value
    report = resident_import(table=table_of(rows), actor=None)
    assert not report.applied
    assert Resident.objects.count() == 0
    [rejected] = report.rejected
    assert rejected.number == 3  # header is row 1, the bad row the second data row
    [problem] = [p for p in rejected.problems if p.column in (column, "KODE_KEL")]
    assert reason in problem.message


def test_it_refuses_a_file_without_the_required_columns():
    table = table_of(_rows(1), headers=["NIK", "NAMA_LGKP"])
    report = resident_import(table=table, actor=None)
    assert "NO_KK" in report.file_problems[0] and not report.applied


def test_it_rejects_every_row_of_a_nik_that_appears_twice():
    rows = _rows(3)
    rows[2]["NIK"] = rows[0]["NIK"]
    report = resident_import(table=table_of(rows), actor=None, valid_only=True)
    assert [r.number for r in report.rejected] == [2, 4]
    assert "juga ada di baris 4" in report.rejected[0].reason
    assert list(Resident.objects.values_list("nik", flat=True)) == [nik_for(2)]


def test_twins_read_from_a_streamed_file_come_back_with_their_own_cells():
    rows = _rows(5)
    rows[3]["NIK"] = rows[1]["NIK"]
    lines = [
        ",".join(SIAK_HEADERS),
        *(",".join(row.get(h, "") for h in SIAK_HEADERS) for row in rows),
    ]
    stream = Workbook("\n".join(lines).encode(), "bip.csv").stream(HEADER_ROW)
    report = resident_import(table=stream, actor=None, valid_only=True)
    twins = [r for r in report.rejected if "juga ada di baris" in r.reason]
    assert [r.number for r in twins] == [3, 5]
    assert [r.cells[SIAK_HEADERS.index("NAMA_LGKP")] for r in twins] == [
        rows[1]["NAMA_LGKP"],
        rows[3]["NAMA_LGKP"],
    ]
    assert Resident.objects.count() == 3


def test_it_imports_only_the_valid_rows_when_asked_and_returns_the_rest():
    rows = _rows(4)
    rows[1]["TGL_LHR"] = "31-02-1990"
    report = resident_import(table=table_of(rows), actor=None, valid_only=True)
    assert report.applied and Resident.objects.count() == 3
    returned = read_table(b"".join(rejected_rows_xlsx(report)), "ditolak.xlsx")
    assert returned.headers[-1] == REASON_HEADER
    [row] = returned.rows
    assert row[returned.headers.index("NIK")] == nik_for(2)
    assert "TGL_LHR" in row[-1]


def test_the_fixed_rejected_file_imports_cleanly():
    rows = _rows(2)
    rows[1]["TGL_LHR"] = "31-02-1990"
    first = resident_import(table=table_of(rows), actor=None, valid_only=True)
    fixed = read_table(b"".join(rejected_rows_xlsx(first)), "ditolak.xlsx")
    fixed.rows[0][fixed.headers.index("TGL_LHR")] = "27-01-1990"
    second = resident_import(table=fixed, actor=None)
    assert second.applied and Resident.objects.count() == 2


def test_importing_the_same_file_twice_changes_nothing():
    table = table_of(_rows(5))
    resident_import(table=table, actor=None)
    again = resident_import(table=table, actor=None)
    assert (len(again.created), len(again.updated), again.unchanged) == (0, 0, 5)
    assert History.objects.count() == 5


def test_a_changed_row_updates_the_resident_and_its_history(make_user):
    resident_import(table=table_of(_rows(2)), actor=None)
    rows = _rows(2)
    rows[0]["ALAMAT"] = "JL. TIMOR RAYA KM 8"
    kasi = make_user("Kepala Seksi")
    report = resident_import(table=table_of(rows), actor=kasi, source_name="perbaikan.csv")
    assert (len(report.updated), report.unchanged) == (1, 1)
    resident = Resident.objects.get(nik=nik_for(1))
    latest = resident.history.order_by("-history_date", "-history_id").first()
    assert resident.address == latest.address == "JL. TIMOR RAYA KM 8"
    assert (latest.history_type, latest.history_user) == ("~", kasi)
    delta = latest.diff_against(latest.prev_record)
    assert [c.field for c in delta.changes] == ["address"]


def test_a_siak_file_does_not_wipe_what_only_this_system_holds():
    make_resident(nik=nik_for(1), phone="081234567890", full_name="YOHANES")
    report = resident_import(table=table_of(_rows(1)), actor=None)
    assert len(report.updated) == 1
    resident = Resident.objects.get()
    assert (resident.full_name, resident.phone) == ("WARGA NOMOR A", "081234567890")


def test_it_accepts_and_flags_a_nik_that_disagrees_with_the_birth_date():
    rows = _rows(1)
    rows[0]["TGL_LHR"] = "28-01-1990"
    report = resident_import(table=table_of(rows), actor=None)
    assert report.applied and report.flagged == [(2, "Tanggal lahir berbeda dengan NIK")]
    assert Resident.objects.get().nik_review_note == "Tanggal lahir berbeda dengan NIK"


def test_a_row_refused_for_a_repeated_nik_is_not_also_listed_for_review():
    rows = _rows(3)
    rows[2]["NIK"] = rows[0]["NIK"]
    for row in rows:
        row["TGL_LHR"] = "28-01-1990"
    report = resident_import(table=table_of(rows), actor=None, dry_run=True)
    assert [r.number for r in report.rejected] == [2, 4]
    assert report.flagged == [(3, "Tanggal lahir berbeda dengan NIK")]


def test_formula_like_text_is_stored_as_text():
    rows = _rows(1)
    rows[0]["ALAMAT"] = '=HYPERLINK("http://calo.example")'
    resident_import(table=table_of(rows), actor=None)
    assert Resident.objects.get().address == '=HYPERLINK("HTTP://CALO.EXAMPLE")'


def test_the_own_export_layout_imports_with_its_extra_columns():
    row = siak_row(KEWARGANEGARAAN="WNA", TELEPON="0812 3456 7890", STATUS_PENDUDUK="PINDAH")
    resident_import(table=table_of([row], headers=HEADERS), actor=None)
    resident = Resident.objects.get()
    assert (resident.nationality, resident.phone, resident.life_status) == (
        "WNA",
        "081234567890",
        "PINDAH",
    )


def test_the_query_count_does_not_grow_with_the_file():
    # Set-based: a fixed number of statements (staging, comparing, writing, history and
    # the SIAK backlog), whatever the number of rows.
    def queries(rows):
        with CaptureQueriesContext(connection) as context:
            report = resident_import(table=table_of(rows), actor=None)
        assert report.applied and len(report.created) == len(rows)
        return len(context)

    queries([siak_row(NIK=nik_for(1))])  # the first import also creates the system user
    few = queries([siak_row(NIK=nik_for(i)) for i in range(2, 22)])
    assert queries([siak_row(NIK=nik_for(i)) for i in range(22, 622)]) == few <= 24
