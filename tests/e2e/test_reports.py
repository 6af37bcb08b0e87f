"""The Kepala Seksi opens the blank-usage report of a month and downloads it as XLSX."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from stock.models import Location, LocationKind
from stock.services import receipt_create

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

PASSWORD = "rahasia-uji-123"


def test_the_supervisor_downloads_the_blank_usage_of_a_month(
    page, live_server, make_user, accessibility
):
    make_user("Kepala Seksi", username="kasi")
    keeper = make_user("Pengelola Blanko", username="pengelola")
    store = Location.objects.create(kind=LocationKind.STORE, name="Gudang Blanko")
    receipt_create(
        received_on=timezone.localdate(),
        source="apbn",
        reference="BAST/PUSAT/2020/001",
        quantity=5,
        serials="KTP0001-KTP0005",
        location=store,
        actor=keeper,
        unit_cost=13_333,
    )
    today = timezone.localdate()

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "kasi")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.goto(f"{live_server.url}/admin/laporan/")
    accessibility(page)
    page.get_by_role("link", name="Laporan penggunaan blanko").click()
    page.get_by_label("Bulan").fill(f"{today:%Y-%m}")
    page.get_by_role("button", name="Tampilkan").click()
    total = page.locator("#result_list tbody tr").last
    assert total.locator("td").first.inner_text() == "Jumlah"
    assert total.locator("td").nth(2).inner_text() == "5"
    accessibility(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh XLSX").click()
    download = download_info.value
    assert download.suggested_filename.startswith("penggunaan-blanko-")
    sheet = load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Tanggal", "Stok awal")
    assert rows[-1][0] == "Jumlah" and rows[-1][2] == 5
