import pytest

from stock.services import blank_consume

pytestmark = pytest.mark.django_db


def test_the_public_board_shows_counts_without_login(client, receive, store, keeper):
    receive("KTP0001-KTP0100")
    blank_consume(serial="KTP0001", location=store, actor=keeper, reference="APP-77 NIK 5371")
    response = client.get("/stok-blanko/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "99" in page and "terpakai hari ini" in page and "Pembaruan terakhir" in page
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]


def test_the_public_board_shows_nothing_personal(client, receive, store, keeper):
    receive()
    blank_consume(serial="KTP0002", location=store, actor=keeper, reference="APP-77 NIK 5371")
    page = client.get("/stok-blanko/").content.decode()
    for private in ("KTP0002", "APP-77", "5371", keeper.username, "BAST"):
        assert private not in page


def test_the_public_board_is_readable_on_a_phone(client, db):
    page = client.get("/stok-blanko/").content.decode()
    assert 'name="viewport"' in page and "Belum ada data stok" in page
