import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from registry.models import Resident
from tests.registry.factories import make_resident, nik_for, resident_form_data

pytestmark = pytest.mark.django_db

LIST = "/admin/registry/resident/"
FULL_NIK = "5371012701900001"
MASKED_NIK = "537101******0001"


def _login(client, user):
    client.force_login(user)
    return client


def test_a_role_without_full_nik_sees_masked_numbers_in_the_list(client, make_user):
    make_resident()
    page = _login(client, make_user("Operator Cetak")).get(LIST).content.decode()
    assert MASKED_NIK in page and FULL_NIK not in page
    assert "27-01-1990" not in page and "27 Januari 1990" not in page


def test_a_supervisor_sees_the_full_nik(client, make_user):
    make_resident()
    page = _login(client, make_user("Kepala Seksi")).get(LIST).content.decode()
    assert FULL_NIK in page


def test_the_detail_page_is_masked_too(client, make_user):
    resident = make_resident()
    url = reverse("admin:registry_resident_change", args=[resident.pk])
    page = _login(client, make_user("Petugas Penyerahan")).get(url).content.decode()
    assert MASKED_NIK in page and FULL_NIK not in page
    assert "5371012001150003" not in page  # No. KK


def test_history_is_for_roles_that_may_see_full_numbers(client, make_user):
    resident = make_resident()
    url = reverse("admin:registry_resident_history", args=[resident.pk])
    assert _login(client, make_user("Operator Cetak")).get(url).status_code == 403
    assert _login(client, make_user("Kepala Seksi")).get(url).status_code == 200


def test_a_clerk_edit_is_saved_through_the_service_with_its_author(client, make_user):
    resident = make_resident()
    clerk = make_user("Petugas Pendaftaran")
    url = reverse("admin:registry_resident_change", args=[resident.pk])
    form = resident_form_data(resident) | {"address": "JL. AMABI NO. 3", "birth_date": "28/01/1990"}
    response = _login(client, clerk).post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    resident.refresh_from_db()
    assert resident.address == "JL. AMABI NO. 3"
    assert resident.nik_review_note == "Tanggal lahir berbeda dengan NIK"
    assert resident.history.latest().history_user == clerk


def test_a_stale_form_is_refused_and_changes_nothing(client, make_user):
    resident = make_resident()
    clerk = make_user("Petugas Pendaftaran")
    url = reverse("admin:registry_resident_change", args=[resident.pk])
    stale = resident_form_data(resident) | {"version": "2000-01-01T00:00:00+00:00", "address": "X"}
    response = _login(client, clerk).post(url, stale, follow=True)
    assert "diubah petugas lain" in response.content.decode()
    assert Resident.objects.get().address == "JL. EL TARI NO. 5"


def test_search_finds_an_exact_nik_or_a_name(client, make_user):
    make_resident()
    make_resident(nik=nik_for(2), full_name="MARIA BENU", kk_number="5371012001150004")
    client = _login(client, make_user("Operator Cetak"))
    assert "MARIA BENU" not in client.get(LIST, {"q": FULL_NIK}).content.decode()
    assert "YOHANES" not in client.get(LIST, {"q": "benu"}).content.decode()
    by_kk = client.get(LIST, {"q": "5371012001150004"}).content.decode()
    assert "MARIA BENU" in by_kk and "YOHANES" not in by_kk


def test_the_list_query_count_does_not_grow_with_residents(
    client, make_user, django_assert_max_num_queries
):
    for serial in range(1, 41):
        make_resident(nik=nik_for(serial))
    client = _login(client, make_user("Kepala Seksi"))
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(LIST, {"village__district__id__exact": "1"}).status_code == 200


def test_regions_are_read_only_except_for_the_administrator(client, make_user):
    url = "/admin/registry/village/1/change/"
    kasi = _login(client, make_user("Kepala Seksi"))
    assert kasi.post(url, {"code": "53.71.01.1001", "name": "X", "district": 1}).status_code == 403
    admin = _login(client, make_user("Administrator"))
    assert 'name="_save"' in admin.get(url).content.decode()


def _export(client, fmt="csv", **filters):
    return client.get(reverse("admin:registry_resident_export", args=[fmt]), filters)


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_export_needs_its_own_permission(client, make_user):
    assert _export(_login(client, make_user("Operator Cetak"))).status_code == 403
    assert _export(_login(client, make_user("Petugas Pendaftaran"))).status_code == 403


def test_export_follows_the_list_filters(client, make_user):
    make_resident()
    make_resident(nik="5371016701900002", sex="P", full_name="MARIA BENU")
    rows = _csv_rows(_export(_login(client, make_user("Kepala Seksi")), sex__exact="P"))
    assert [r["NAMA_LGKP"] for r in rows] == ["MARIA BENU"]
    assert rows[0]["NIK"] == "5371016701900002"


def test_export_is_masked_for_a_role_without_full_nik(client, make_user):
    make_resident()
    user = make_user()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_resident", "export_resident"])
    )
    [row] = _csv_rows(_export(_login(client, user)))
    assert (row["NIK"], row["NO_KK"], row["TGL_LHR"]) == (
        MASKED_NIK,
        "537101******0003",
        "**-**-1990",
    )


def test_formula_cells_are_exported_inert(client, make_user):
    make_resident(address='=HYPERLINK("http://calo")', occupation="+62 SUM(1)")
    client = _login(client, make_user("Kepala Seksi"))
    [row] = _csv_rows(_export(client))
    assert row["ALAMAT"] == '\'=HYPERLINK("http://calo")'
    data = b"".join(_export(client, "xlsx").streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = {c.value: c for c in sheet[2]}
    cell = cells['\'=HYPERLINK("http://calo")']
    assert cell.data_type == "s"
    assert "'+62 SUM(1)" in cells


def test_the_history_page_shows_who_changed_what(client, make_user):
    resident = make_resident()
    clerk = make_user("Petugas Pendaftaran")
    url = reverse("admin:registry_resident_change", args=[resident.pk])
    _login(client, clerk).post(url, resident_form_data(resident) | {"address": "JL. AMABI NO. 3"})
    history = reverse("admin:registry_resident_history", args=[resident.pk])
    page = _login(client, make_user("Kepala Seksi")).get(history).content.decode()
    assert "petugas-pendaftaran" in page
    assert "JL. EL TARI NO. 5" in page and "JL. AMABI NO. 3" in page


def test_the_export_buttons_show_for_those_who_may_export(client, make_user):
    assert "Ekspor XLSX" in _login(client, make_user("Kepala Seksi")).get(LIST).content.decode()
    assert (
        "Ekspor XLSX" not in _login(client, make_user("Operator Cetak")).get(LIST).content.decode()
    )
