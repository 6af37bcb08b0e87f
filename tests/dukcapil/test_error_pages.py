"""Error pages speak Indonesian, keep the admin's look and offer a way back (DEBUG is off)."""

import logging
import re

import pytest
from django.test import Client
from django.urls import path, reverse

from dukcapil import urls

pytestmark = pytest.mark.django_db


def _broken(request):
    raise RuntimeError("lampu padam di tengah pencetakan")


# This module doubles as the URLconf of the server-error test: the project's, plus a broken view.
urlpatterns = [*urls.urlpatterns, path("rusak/", _broken)]
handler500 = urls.handler500


def _assert_error_page(response, status, words):
    page = response.content.decode()
    assert response.status_code == status
    assert '<html lang="id"' in page
    assert words in page
    assert f'href="{reverse("admin:index")}">Kembali ke beranda</a>' in page
    assert "Dinas Kependudukan dan Catatan Sipil Kota Kupang" in page


def test_it_answers_an_unknown_address_with_an_indonesian_page():
    response = Client().get("/tidak-ada/")
    _assert_error_page(response, 404, "Halaman atau data yang dicari tidak ada")


def test_it_tells_a_clerk_without_the_role_that_access_is_refused(make_user):
    client = Client()
    client.force_login(make_user())
    response = client.get(reverse("admin:shifts_roster_changelist"))
    _assert_error_page(response, 403, "Peran Anda tidak berwenang")


def test_it_explains_a_form_sent_without_its_csrf_token():
    response = Client(enforce_csrf_checks=True).post(
        reverse("admin:login"), {"username": "kasi", "password": "salah"}
    )
    _assert_error_page(response, 403, "Formulir ini tidak dapat diterima")


def test_it_refuses_a_request_for_a_foreign_host_in_indonesian():
    response = Client().get("/admin/login/", HTTP_HOST="penyusup.example")
    _assert_error_page(response, 400, "Permintaan ini tidak dapat diproses")


@pytest.mark.urls(__name__)
def test_a_server_error_shows_a_reference_found_in_the_log(caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client(raise_request_exception=False).get("/rusak/")
    _assert_error_page(response, 500, "Terjadi kesalahan pada server")
    reference = re.search(r"Kode rujukan: <strong>(\w+)</strong>", response.content.decode())[1]
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert reference in record.getMessage()
    assert "lampu padam" in str(record.exc_info[1])
