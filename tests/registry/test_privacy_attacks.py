"""A curious clerk trying to recover what the mask hides, with real requests: URL lookups,
ordering, prefix search, autocomplete, guessing exact NIKs. Each now fails and changes nothing."""

import pytest
from django.urls import reverse

from dukcapil import roles
from dukcapil.models import AuditAction, AuditEntry
from tests.registry.factories import make_resident, nik_for

pytestmark = pytest.mark.django_db

RESIDENTS = "/admin/registry/resident/"
APPLICATIONS = "/admin/registry/cardapplication/"
QUEUE = "/admin/registry/collectionqueueentry/"
NIK = "5371012701900001"
KK = "5371012001150003"


def _as(client, make_user, role, username="penyerang"):
    user = make_user(role, username=username)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "query",
    [
        "nik__startswith=537101270",
        "nik__regex=^5371012701",
        "nik=5371012701900001",
        "kk_number=5371012001150003",
        "kk_number__startswith=53710120",
        "birth_date=1990-01-27",
        "birth_date__year=1990",
        "village__district__code__startswith=53",
    ],
)
def test_it_answers_400_to_a_masked_role_filtering_residents_by_url(client, make_user, query):
    make_resident()
    _as(client, make_user, roles.PRINTING)

    response = client.get(f"{RESIDENTS}?{query}")

    assert response.status_code == 400
    assert "tidak dapat disaring" in response.content.decode()
    assert NIK not in response.content.decode()


def test_it_answers_400_not_500_to_a_broken_regex_even_for_a_supervisor(client, make_user):
    make_resident()
    _as(client, make_user, roles.SUPERVISOR)

    response = client.get(RESIDENTS + "?nik__regex=(")

    assert response.status_code == 400
    assert "Gunakan penyaring yang tersedia" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (roles.PRINTING, APPLICATIONS),
        (roles.HANDOVER, APPLICATIONS),
        (roles.HANDOVER, QUEUE),
    ],
)
def test_it_answers_400_to_lookups_through_the_resident_on_application_lists(
    client, make_user, apply, role, url
):
    apply(make_resident())
    _as(client, make_user, role)

    for query in ["resident__nik__startswith=5371", "resident__birth_date__year=1990"]:
        assert client.get(f"{url}?{query}").status_code == 400


def test_it_answers_400_to_an_export_filtered_by_a_nik_prefix(client, make_user):
    make_resident()
    _as(client, make_user, roles.SUPERVISOR)

    url = reverse("admin:registry_resident_export", args=["csv"])

    assert client.get(url + "?nik__startswith=5371012701").status_code == 400


def test_it_answers_400_to_a_nul_byte_in_a_search(client, make_user):
    _as(client, make_user, roles.PRINTING)

    assert client.get(RESIDENTS + "?q=%00").status_code == 400


def test_it_answers_400_to_an_administrator_guessing_password_hashes(client, make_user):
    _as(client, make_user, roles.ADMINISTRATOR)

    assert client.get("/admin/auth/user/?password__startswith=pbkdf2").status_code == 400


def test_it_still_honours_the_filters_the_list_declares(client, make_user):
    make_resident()
    make_resident(nik=nik_for(2, day=67), full_name="MARIA LAY", sex="P")
    _as(client, make_user, roles.PRINTING)

    page = client.get(RESIDENTS + "?sex__exact=P&wajib_ktp=1").content.decode()

    assert "MARIA LAY" in page and "YOHANES NDOLU" not in page


def test_it_does_not_order_by_a_masked_column(client, make_user):
    make_resident(full_name="AAA", nik=nik_for(1, day=1))
    make_resident(full_name="BBB", nik=nik_for(2, day=31), kk_number="5371012001150004")
    _as(client, make_user, roles.PRINTING)

    pages = [client.get(f"{RESIDENTS}?o={o}").content.decode() for o in ("2", "-2", "3", "-4")]

    orders = {page.index("AAA") < page.index("BBB") for page in pages}
    assert len(orders) == 1


def test_it_does_not_find_a_resident_by_a_nik_prefix(client, make_user):
    make_resident()
    _as(client, make_user, roles.PRINTING)

    page = client.get(RESIDENTS + "?q=53710127019").content.decode()

    assert "YOHANES NDOLU" not in page


def test_it_finds_an_exact_nik_and_records_the_search_masked(client, make_user):
    make_resident()
    clerk = _as(client, make_user, roles.HANDOVER)

    page = client.get(f"{RESIDENTS}?q={NIK}").content.decode()

    assert "YOHANES NDOLU" in page
    entry = AuditEntry.objects.get(actor=clerk, action=AuditAction.SEARCH_NIK)
    assert entry.detail["number"] == "537101******0001"
    assert entry.detail["results"] == 1
    assert NIK not in str(entry.detail) + entry.object_repr


def test_it_stops_exact_nik_searches_past_the_hourly_limit(client, make_user, settings):
    settings.DUKCAPIL_NIK_SEARCHES_PER_HOUR = 3
    make_resident()
    clerk = _as(client, make_user, roles.PRINTING)
    for serial in (7, 8, 9):
        client.get(f"{RESIDENTS}?q={nik_for(serial)}")

    response = client.get(f"{RESIDENTS}?q={NIK}")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Batas pencarian dengan NIK atau No. KK tercapai" in page
    assert "YOHANES NDOLU" not in page
    assert AuditEntry.objects.filter(actor=clerk, action=AuditAction.SEARCH_NIK).count() == 3


def test_the_limit_holds_on_the_application_desk_lookup_too(client, make_user, settings):
    settings.DUKCAPIL_NIK_SEARCHES_PER_HOUR = 1
    make_resident()
    _as(client, make_user, roles.REGISTRATION)
    client.get(f"{APPLICATIONS}?q={KK}")

    page = client.get(reverse("admin:registry_cardapplication_add") + f"?nik={NIK}")

    assert "Batas pencarian" in page.content.decode()
    assert "YOHANES NDOLU" not in page.content.decode()


@pytest.mark.parametrize(
    ("model_name", "field_name"),
    [("cardapplication", "resident"), ("collectionqueueentry", "resident")],
)
def test_it_refuses_autocomplete_on_fields_no_admin_offers(
    client, make_user, model_name, field_name
):
    make_resident()
    _as(client, make_user, roles.PRINTING)

    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "registry", "model_name": model_name, "field_name": field_name, "term": NIK},
    )

    assert response.status_code == 403
    assert "YOHANES" not in response.content.decode()


def test_it_answers_autocomplete_on_a_declared_field(client, make_user):
    _as(client, make_user, roles.REGISTRATION)

    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "registry", "model_name": "resident", "field_name": "village", "term": "nam"},
    )

    assert response.status_code == 200
    assert "NAMOSAIN" in response.content.decode().upper()


def test_it_records_a_full_view_of_a_resident_page_and_not_a_masked_one(client, make_user):
    resident = make_resident()
    url = reverse("admin:registry_resident_change", args=[resident.pk])
    supervisor = _as(client, make_user, roles.SUPERVISOR)
    client.get(url)
    printer = _as(client, make_user, roles.PRINTING, username="operator-cetak")
    client.get(url)

    views = AuditEntry.objects.filter(action=AuditAction.VIEW_FULL_NIK)
    assert [(e.actor, e.object_id) for e in views] == [(supervisor, str(resident.pk))]
    assert not views.filter(actor=printer).exists()


def test_it_records_a_full_view_at_the_application_desk(client, make_user, apply):
    application = apply(make_resident())
    recorder = _as(client, make_user, roles.RECORDING)

    client.get(reverse("admin:registry_cardapplication_change", args=[application.pk]))

    entry = AuditEntry.objects.get(actor=recorder, action=AuditAction.VIEW_FULL_NIK)
    assert entry.object_type == "registry.resident"
