"""/siap-diambil/: the cards waiting to be collected in one kelurahan, masked as the
announcement export is; the office may switch the page off."""

import pytest

from registry.models import ApplicationStatus, Village
from registry.public import views
from tests.registry.factories import make_resident

pytestmark = pytest.mark.django_db

S = ApplicationStatus
URL = "/siap-diambil/"
NAMOSAIN = "53.71.01.1001"


@pytest.fixture
def printed(apply, advance, stock_in):
    """Printed cards of three residents of Namosain and one of another kelurahan, plus a
    Namosain resident whose application is still being processed."""
    stock_in("KTP0001-KTP0004")
    elsewhere = Village.objects.exclude(code=NAMOSAIN).first()
    people = [
        make_resident(nik="5371012701900001", full_name="YOHANES NDOLU", rt="003", rw="002"),
        make_resident(nik="5371014506900002", full_name="MARIA BENU", rt="011", rw="004"),
        make_resident(nik="5371011203850003", full_name="ANDREAS LAY", rt="001", rw="001"),
        make_resident(nik="5371011203850004", full_name="PAULUS ADU", village=elsewhere),
    ]
    for resident in people:
        advance(apply(resident), S.PRINTED)
    apply(make_resident(nik="5371011203850005", full_name="SEDANG PROSES"))
    return people


def _page(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def test_it_asks_for_a_kelurahan_first_and_lists_nobody_before(client, printed):
    page = _page(client)
    assert '<select name="kelurahan"' in page
    assert "<optgroup" in page
    assert "YOHANES NDOLU" not in page and "<table" not in page


def test_it_lists_the_kelurahan_s_printed_cards_masked_by_name(client, printed):
    page = _page(client, kelurahan=NAMOSAIN)

    names = ["ANDREAS LAY", "MARIA BENU", "YOHANES NDOLU"]
    assert [page.index(name) for name in names] == sorted(page.index(name) for name in names)
    assert "537101******0001" in page and "003/002" in page
    assert "537101******0002" in page and "011/004" in page
    for resident in printed:
        assert resident.nik not in page
    assert "PAULUS ADU" not in page  # another kelurahan
    assert "SEDANG PROSES" not in page  # not printed yet
    assert "3 KTP-el menunggu diambil" in page


def test_it_pages_the_list(client, printed, monkeypatch):
    monkeypatch.setattr(views, "READY_PER_PAGE", 2)
    first = _page(client, kelurahan=NAMOSAIN)
    second = _page(client, kelurahan=NAMOSAIN, halaman=2)

    assert "ANDREAS LAY" in first and "YOHANES NDOLU" not in first
    assert "YOHANES NDOLU" in second and "ANDREAS LAY" not in second
    assert "Halaman 2 dari 2" in second
    assert "halaman=2" in first


def test_an_unknown_kelurahan_or_page_gets_a_message_not_an_error(client, printed):
    assert "Kelurahan tidak dikenal" in _page(client, kelurahan="53.71.99.9999")
    assert "ANDREAS LAY" in _page(client, kelurahan=NAMOSAIN, halaman="x")


def test_a_kelurahan_without_cards_says_so(client, printed):
    empty = Village.objects.exclude(code=NAMOSAIN).exclude(residents__isnull=False).first()
    assert "Belum ada KTP-el yang menunggu diambil" in _page(client, kelurahan=empty.code)


def test_the_office_can_switch_the_list_off(client, printed, settings):
    settings.DUKCAPIL_PUBLIC_READY_LIST = False
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"kelurahan": NAMOSAIN}).status_code == 404


def test_the_list_costs_the_same_queries_however_long(
    client, printed, django_assert_num_queries, apply, advance, stock_in
):
    # The kelurahan select, the count, the page.
    with django_assert_num_queries(3):
        client.get(URL, {"kelurahan": NAMOSAIN})
    stock_in("KTP0005")
    advance(apply(make_resident(nik="5371011203850006", full_name="BARU")), S.PRINTED)
    with django_assert_num_queries(3):
        client.get(URL, {"kelurahan": NAMOSAIN})


def test_it_is_served_to_anyone_without_a_session(client, printed):
    response = client.get(URL, {"kelurahan": NAMOSAIN})
    assert "public" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers
