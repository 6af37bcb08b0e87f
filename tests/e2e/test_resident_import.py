import pytest

from registry.models import Resident
from tests.registry.factories import SIAK_HEADERS, nik_for, siak_row

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("reference_data"),
]

PASSWORD = "rahasia-uji-123"


def _siak_csv(tmp_path):
    rows = [
        siak_row(NIK=nik_for(1), NAMA_LGKP="YOHANES NDOLU"),
        siak_row(NIK="5371016701900002", NAMA_LGKP="MARIA BENU", JENIS_KLMIN="PEREMPUAN"),
    ]
    lines = [",".join(SIAK_HEADERS)] + [",".join(str(r[h]) for h in SIAK_HEADERS) for r in rows]
    path = tmp_path / "bip-namosain.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_supervisor_imports_a_siak_file_and_sees_the_residents(
    page, live_server, make_user, tmp_path
):
    make_user("Kepala Seksi", username="kasi")
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "kasi")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.get_by_role("link", name="Penduduk", exact=True).first.click()

    page.get_by_role("link", name="Impor").click()
    page.set_input_files("#id_import_file", _siak_csv(tmp_path))
    page.get_by_role("button", name="Periksa berkas").click()
    summary = page.locator("#import-summary")
    summary.wait_for()
    assert "Penduduk baru: 2" in summary.inner_text()
    assert Resident.objects.count() == 0

    page.get_by_role("button", name="Konfirmasi impor").click()
    page.get_by_text("Impor selesai: 2 penduduk baru").wait_for()
    results = page.locator("#result_list").inner_text()
    assert "YOHANES NDOLU" in results and "MARIA BENU" in results
    assert Resident.objects.count() == 2
