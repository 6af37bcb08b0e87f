import datetime as dt
import io

import openpyxl
import pytest
from django.apps import apps

from shifts.models import CoverageRequirement, Post, Roster, RosterStatus, ShiftType, Staff
from shifts.reference import reference_load

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

PASSWORD = "rahasia-uji-123"


@pytest.fixture
def team():
    reference_load(apps)  # the flush of transactional tests removed the migration's rows
    perekaman = Post.objects.get(code="REK")
    for shift in ShiftType.objects.all():
        CoverageRequirement.objects.create(shift_type=shift, post=perekaman, min_staff=1)
    for n in range(8):
        staff = Staff.objects.create(nip=f"19900101201503100{n + 1}", name=f"Petugas Uji {n + 1}")
        staff.posts.add(perekaman)


def test_the_kepala_seksi_generates_publishes_and_downloads_next_months_roster(
    page, live_server, make_user, team, settings
):
    settings.SHIFTS_SOLVER_SECONDS = 3  # a small team; keep the page quick
    make_user("Kepala Seksi", username="kasi")
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "kasi")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.get_by_role("link", name="Jadwal dinas", exact=True).first.click()
    page.locator(".object-tools a.addlink").click()
    page.locator("input[name=_save]").click()
    page.get_by_text("dibuat sebagai draf").wait_for()

    page.get_by_role("button", name="Susun otomatis").click()
    page.get_by_text("Jadwal disusun:").wait_for()
    grid = page.locator("#roster-grid")
    assert grid.locator("td.shift-M").count() > 25
    assert "Petugas Uji 1" in grid.inner_text()

    page.get_by_role("button", name="Terbitkan").click()
    page.get_by_text("tidak dapat dibatalkan").wait_for()
    page.get_by_role("button", name="Terbitkan").click()
    page.get_by_text("diterbitkan.").wait_for()
    assert page.locator("#roster-status").inner_text() == "Terbit"
    roster = Roster.objects.get()
    assert roster.status == RosterStatus.PUBLISHED
    assert roster.period_start.day == 1 and roster.period_start > dt.date.today()

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh XLSX").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("NIP", "NAMA", roster.period_start.strftime("%d-%m-%Y"))
    assert len(rows) == 9 and {"P/REK", "S/REK", "M/REK"} <= {c for r in rows[1:] for c in r[2:]}
