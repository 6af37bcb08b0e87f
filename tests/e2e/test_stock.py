import pytest

from stock.models import Blank, Location

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

PASSWORD = "rahasia-uji-123"


def test_a_keeper_receives_a_batch_and_moves_100_blanks_to_a_printer(page, live_server, make_user):
    make_user("Pengelola Blanko", username="pengelola")
    store = Location.objects.create(kind="gudang", name="Gudang Blanko")
    printer = Location.objects.create(kind="printer", name="Mesin Cetak 1")

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "pengelola")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.get_by_role("link", name="Penerimaan blanko").first.click()
    page.locator(".object-tools a.addlink").click()
    page.select_option("#id_source", "apbn")
    page.fill("#id_reference", "BAST/PUSAT/2020/001")
    page.fill("#id_quantity", "500")
    page.select_option("#id_location", str(store.pk))
    page.fill("#id_serials", "KTP0001000–KTP0001499")
    page.get_by_role("button", name="Simpan penerimaan").click()
    page.get_by_text("dicatat: 500 blanko").wait_for()

    page.goto(f"{live_server.url}/admin/stock/blank/")
    page.get_by_role("link", name="Pindahkan blanko").click()
    page.fill("#id_serials", "KTP0001000-KTP0001099")
    page.select_option("#id_from_location", str(store.pk))
    page.select_option("#id_to_location", str(printer.pk))
    page.get_by_role("button", name="Pindahkan").click()
    page.get_by_text("100 blanko dipindahkan ke Mesin Cetak 1").wait_for()

    rows = {
        row.locator("th").inner_text().strip(): row.locator("td.field-in_stock").inner_text()
        for row in page.locator("#result_list tbody tr").all()
    }
    assert rows == {"Gudang Blanko": "400", "Mesin Cetak 1": "100"}
    assert Blank.objects.filter(location=printer).count() == 100
