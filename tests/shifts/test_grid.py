"""The jadwal dinas grid: export, edit in Excel, import back — all or nothing."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dukcapil.sheet_writer import xlsx_bytes
from shifts.models import Assignment, Leave
from shifts.resources import grid_headers, grid_rows
from shifts.services import roster_generate, roster_grid_import
from tests.sheets import ExcelError, xlsx_of

WEEK = (dt.date(2020, 1, 6), dt.date(2020, 1, 12))


@pytest.fixture
def generated(make_staff, make_roster, require, supervisor):
    team = [make_staff(f"Petugas {n:02d}", posts=("REK", "CTK")) for n in range(8)]
    Leave.objects.create(staff=team[0], start=WEEK[0], end=dt.date(2020, 1, 8), kind="sakit")
    require("P", "REK", 1)
    require("M", "CTK", 1)
    roster = make_roster(*WEEK)
    roster_generate(roster=roster, actor=supervisor)
    return roster, team


def snapshot(roster):
    return set(
        roster.assignments.values_list("staff__nip", "date", "shift_type__code", "post__code")
    )


def workbook(roster, edit=None) -> bytes:
    rows = [list(r) for r in grid_rows(roster)]
    if edit:
        edit(rows)
    return xlsx_bytes(grid_headers(roster), rows)


def test_export_then_import_preserves_the_roster(generated, supervisor):
    roster, _ = generated
    before = snapshot(roster)
    data = workbook(roster)

    count = roster_grid_import(roster=roster, data=data, filename="jadwal.xlsx", actor=supervisor)

    assert count == len(before) == 14
    assert snapshot(roster) == before


def test_the_export_shows_leave_and_days_off(generated, admin_client):
    roster, team = generated
    response = admin_client.get(f"/admin/shifts/roster/{roster.pk}/unduh/")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    assert rows["NIP"][2] == "06-01-2020"
    sick = rows[team[0].nip]
    assert sick[1] == "Petugas 00" and sick[2:5] == ("C", "C", "C")
    assert {c for row in list(rows.values())[1:] for c in row[2:]} <= {
        "P/REK",
        "M/CTK",
        "L",
        "C",
    }


def test_every_bad_cell_is_reported_by_person_and_date_and_nothing_is_saved(generated, supervisor):
    roster, _team = generated
    before = snapshot(roster)

    def spoil(rows):
        by_name = {row[1]: row for row in rows}
        by_name["Petugas 01"][2] = "X"  # unknown code, 6 January
        by_name["Petugas 02"][3] = "P/AWS"  # not qualified, 7 January
        by_name["Petugas 00"][2] = "P/REK"  # on sick leave, 6 January
        # Petugas 03: malam on the 9th then pagi on the 10th
        by_name["Petugas 03"][5], by_name["Petugas 03"][6] = "M/CTK", "P/REK"

    with pytest.raises(ValidationError) as caught:
        roster_grid_import(
            roster=roster, data=workbook(roster, spoil), filename="jadwal.xlsx", actor=supervisor
        )
    messages = caught.value.messages
    text = "\n".join(messages)
    assert "Petugas 01 (NIP" in text and "6 Januari 2020: kode 'X' tidak dikenal" in text
    assert any("Petugas 02" in m and "7 Januari 2020" in m and "kualifikasi" in m for m in messages)
    assert any("Petugas 00" in m and "6 Januari 2020" in m and "cuti" in m for m in messages)
    assert any("Petugas 03" in m and "10 Januari 2020" in m and "istirahat" in m for m in messages)
    assert snapshot(roster) == before


def test_an_unknown_nip_is_reported_with_its_row(generated, supervisor):
    roster, _ = generated

    def stranger(rows):
        rows.append(["199001012015032001", "Orang Asing", *["L"] * 7])

    with pytest.raises(ValidationError, match="Baris 10: NIP 199001012015032001"):
        roster_grid_import(
            roster=roster, data=workbook(roster, stranger), filename="j.xlsx", actor=supervisor
        )


def test_a_lone_post_may_be_left_out(make_staff, make_roster, supervisor, shift, post):
    solo = make_staff("Maria Benu", posts=("CTK",))
    roster = make_roster(*WEEK)
    headers = grid_headers(roster)
    data = xlsx_bytes(headers, [[solo.nip, solo.name, "P", "S", "L", "", "C", "M", "M"]])
    assert roster_grid_import(roster=roster, data=data, filename="j.xlsx", actor=supervisor) == 4
    assert set(Assignment.objects.values_list("post__code", flat=True)) == {"CTK"}


def test_it_refuses_to_import_into_a_published_roster(generated, supervisor):
    from shifts.services import roster_publish

    roster, _ = generated
    data = workbook(roster)
    roster_publish(roster=roster, actor=supervisor)
    with pytest.raises(ValidationError, match="amandemen"):
        roster_grid_import(roster=roster, data=data, filename="j.xlsx", actor=supervisor)


def titled_workbook(roster, edit=None) -> bytes:
    """The grid as a clerk lays it out for printing: a title and a blank line above the header."""
    rows = [list(r) for r in grid_rows(roster)]
    if edit:
        edit(rows)
    return xlsx_of([[f"JADWAL DINAS {roster}"], [], grid_headers(roster), *rows])


def test_a_title_row_above_the_header_is_read_past(generated, supervisor):
    roster, _ = generated
    before = snapshot(roster)
    data = titled_workbook(roster)
    count = roster_grid_import(roster=roster, data=data, filename="jadwal.xlsx", actor=supervisor)
    assert count == len(before)
    assert snapshot(roster) == before


def test_an_error_cell_is_refused_through_the_admin_and_nothing_changes(
    generated, client, supervisor
):
    roster, _ = generated
    before = snapshot(roster)

    broken = []

    def break_a_cell(rows):
        [at] = [i for i, row in enumerate(rows) if row[1] == "Petugas 01"]
        rows[at][2] = ExcelError("#N/A")
        broken.append(at + 4)  # the title, a blank line and the header come first

    client.force_login(supervisor)
    upload = SimpleUploadedFile("jadwal.xlsx", titled_workbook(roster, break_a_cell))
    url = reverse("admin:shifts_roster_import", args=[roster.pk])
    page = client.post(url, {"file": upload}, follow=True)
    text = [str(m) for m in page.context["messages"]]
    assert text == [
        f"Baris {broken[0]}, kolom 06-01-2020: sel berisi galat Excel #N/A, bukan nilai."
    ]
    assert snapshot(roster) == before
