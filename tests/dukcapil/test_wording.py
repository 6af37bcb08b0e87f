"""What people read: Django's own Indonesian where it read badly, counts with thousands
separators, the favicon, the import command's words."""

import csv

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from dukcapil.formats import grouped
from dukcapil.roles import ADMINISTRATOR, SUPERVISOR
from tests.registry.factories import SIAK_HEADERS, nik_for, siak_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, make_user):
    def sign_in(role: str):
        client.force_login(make_user(role))
        return client

    return sign_in


def test_the_sign_out_page_reads_as_plain_indonesian(signed_in):
    page = signed_in(SUPERVISOR).post(reverse("admin:logout")).content.decode()
    assert "Anda sudah keluar" in page
    assert "waktu berkualitas" not in page


def test_the_new_account_form_names_password_sign_in_correctly(signed_in):
    page = signed_in(ADMINISTRATOR).get(reverse("admin:auth_user_add")).content.decode()
    assert "Masuk dengan kata sandi" in page
    assert "Autentidikasi" not in page and "berdasarkan-sandi" not in page


def test_the_home_page_table_headings_are_indonesian_and_carry_the_favicon(signed_in):
    page = signed_in(SUPERVISOR).get(reverse("admin:index")).content.decode()
    assert "Tautan ubah atau lihat daftar" in page and "Rubah" not in page
    assert 'rel="icon" href="/static/dukcapil/favicon.svg"' in page
    assert finders.find("dukcapil/favicon.svg")


def test_the_two_list_selector_explains_its_arrows_in_indonesian(signed_in):
    catalog = signed_in(ADMINISTRATOR).get(reverse("admin:jsi18n")).content.decode()
    assert "tombol panah ke kanan" in catalog
    assert 'panah \\"Choose' not in catalog and "Pindahkan%s" not in catalog


def test_a_count_is_grouped_by_thousands():
    assert [grouped(4000), grouped(100001), grouped(7)] == ["4.000", "100.001", "7"]


def test_import_residents_says_in_indonesian_that_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match=r"^Berkas .*tidak-ada\.csv tidak ditemukan\.$"):
        call_command("import_residents", str(tmp_path / "tidak-ada.csv"), verbosity=0)


def test_import_residents_over_a_rejected_run_says_what_would_have_been_imported(tmp_path, capsys):
    rows = [siak_row(NIK=nik_for(i)) for i in range(1, 1001)]
    rows.append(siak_row(NIK=nik_for(1001), TGL_LHR="31-02-1990"))
    path = tmp_path / "bip.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, SIAK_HEADERS)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(SystemExit):
        call_command("import_residents", str(path), verbosity=0)
    out = capsys.readouterr().out
    assert out.startswith(
        "TIDAK ADA YANG DIIMPOR: 1 baris ditolak. Tanpa baris itu, impor ini akan menghasilkan "
        "1.000 baru, 0 diperbarui, 0 tidak berubah"
    )
