"""The four desks through the admin: each role takes its step in a click or two."""

import pytest
from django.urls import reverse

from registry.models import ApplicationStatus, CardApplication
from registry.services.applications import application_submit
from stock.models import Blank, BlankStatus
from tests.registry.factories import make_resident

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def blanks(stock_in):
    return stock_in("KTP0000001-KTP0000005")


@pytest.fixture
def submitted(apply, resident):
    return apply(resident)


def _desk(application):
    return reverse("admin:registry_cardapplication_change", args=[application.pk])


def test_the_registration_desk_finds_the_resident_by_nik_and_takes_the_application(
    client, staff, resident
):
    client.force_login(staff["registration"])
    url = reverse("admin:registry_cardapplication_add") + f"?nik={resident.nik}"
    page = client.get(url)
    assert resident.full_name in page.content.decode()
    response = client.post(
        url,
        {"kind": "baru", "applicant_present": "on", "documents_present": ["kk"], "phone": "081234"},
    )
    application = CardApplication.objects.get(resident=resident)
    assert response.status_code == 302 and response.url == _desk(application)
    assert application.status == S.SUBMITTED
    assert [d.kind for d in application.documents.all()] == ["kk"]


def test_an_absent_applicant_is_refused_and_nothing_is_saved(client, staff, resident):
    client.force_login(staff["registration"])
    url = reverse("admin:registry_cardapplication_add") + f"?nik={resident.nik}"
    response = client.post(url, {"kind": "baru"}, follow=True)
    assert "wajib hadir sendiri" in response.content.decode()
    assert not CardApplication.objects.exists()


def test_an_unknown_nik_is_reported(client, staff):
    client.force_login(staff["registration"])
    response = client.get(reverse("admin:registry_cardapplication_add") + "?nik=5371012701909999")
    assert "NIK tidak terdaftar" in response.content.decode()


def test_the_berkas_check_verifies_the_application(client, staff, submitted):
    client.force_login(staff["registration"])
    client.post(_desk(submitted), {"step": "berkas", "berkas-verified_kinds": ["kk"]})
    submitted.refresh_from_db()
    assert submitted.status == S.VERIFIED
    assert submitted.documents.get().verified_by == staff["registration"]


def test_the_recording_desk_marks_recorded_then_prr(client, staff, submitted, advance):
    application = advance(submitted, S.VERIFIED)
    client.force_login(staff["recording"])
    client.post(_desk(application), {"step": "record"})
    client.post(_desk(application), {"step": "prr"})
    application.refresh_from_db()
    assert application.status == S.PRINT_READY


def test_the_print_desk_prints_on_the_scanned_blank_and_a_double_click_changes_nothing(
    client, staff, submitted, station, blanks, advance
):
    application = advance(submitted, S.PRINT_READY)
    client.force_login(staff["printing"])
    form = {"step": "print", "print-station": station.pk, "print-blank_serial": "ktp0000002"}
    client.post(_desk(application), form)
    second = client.post(
        _desk(application), form | {"print-blank_serial": "KTP0000003"}, follow=True
    )
    application.refresh_from_db()
    assert application.status == S.PRINTED
    assert application.blank.serial == "KTP0000002"
    assert "tidak dapat dilakukan" in second.content.decode()
    assert Blank.objects.filter(status=BlankStatus.USED).count() == 1
    assert client.session["registry_print_station"] == station.pk


def test_a_failed_print_spoils_the_blank_and_keeps_the_application_ready(
    client, staff, submitted, station, blanks, advance
):
    application = advance(submitted, S.PRINT_READY)
    client.force_login(staff["printing"])
    client.post(
        _desk(application),
        {
            "step": "print_failed",
            "print_failed-station": station.pk,
            "print_failed-blank_serial": "KTP0000001",
            "print_failed-spoil_reason": "gagal_cetak",
        },
    )
    application.refresh_from_db()
    assert application.status == S.PRINT_READY
    assert Blank.objects.get(serial="KTP0000001").status == BlankStatus.SPOILED


def test_the_handover_desk_issues_the_card_and_the_page_lists_every_event(
    client, staff, submitted, station, blanks, advance
):
    application = advance(submitted, S.PRINT_READY)
    client.force_login(staff["printing"])
    client.post(
        _desk(application),
        {"step": "print", "print-station": station.pk, "print-blank_serial": "KTP0000001"},
    )
    client.force_login(staff["handover"])
    client.post(
        _desk(application), {"step": "hand_over", "hand_over-verification_method": "sidik_jari"}
    )
    application.refresh_from_db()
    assert application.status == S.ISSUED
    page = client.get(_desk(application)).content.decode()
    for label in ("Berkas diterima", "Berkas lengkap", "Sudah rekam", "Siap cetak", "Diserahkan"):
        assert label in page
    assert application.events.count() == 6


def test_a_desk_cannot_take_another_desks_step(client, staff, submitted, advance):
    application = advance(submitted, S.VERIFIED)
    client.force_login(staff["printing"])
    response = client.post(_desk(application), {"step": "record"}, follow=True)
    application.refresh_from_db()
    assert application.status == S.VERIFIED
    assert "tidak dapat dilakukan" in response.content.decode()


def test_each_desk_lists_only_the_applications_of_its_step(client, staff, submitted):
    url = reverse("admin:registry_cardapplication_changelist")
    client.force_login(staff["printing"])
    assert submitted.number not in client.get(url).content.decode()
    client.force_login(staff["registration"])
    assert submitted.number in client.get(url).content.decode()


def test_the_print_desk_sees_the_nik_masked(client, staff, submitted, resident, advance):
    application = advance(submitted, S.PRINT_READY)
    client.force_login(staff["printing"])
    page = client.get(_desk(application)).content.decode()
    listing = client.get(reverse("admin:registry_cardapplication_changelist")).content.decode()
    assert resident.nik not in page and resident.nik not in listing
    assert "537101******0001" in page and "537101******0001" in listing


def test_the_desk_list_runs_a_fixed_number_of_queries(client, staff, django_assert_max_num_queries):
    for serial in range(1, 31):
        application_submit(
            resident=make_resident(nik=f"53710127019{serial:05d}", full_name=f"WARGA {serial}"),
            kind="baru",
            actor=staff["registration"],
            applicant_present=True,
        )
    client.force_login(staff["registration"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:registry_cardapplication_changelist"))
    assert response.status_code == 200


def test_the_collection_queue_lists_printed_cards_with_their_age_and_a_masked_announcement(
    client, staff, submitted, station, blanks, advance
):
    application = advance(submitted, S.PRINT_READY)
    client.force_login(staff["printing"])
    client.post(
        _desk(application),
        {"step": "print", "print-station": station.pk, "print-blank_serial": "KTP0000001"},
    )
    client.force_login(staff["handover"])
    url = reverse("admin:registry_collectionqueueentry_changelist")
    listing = client.get(url, {"q": submitted.resident.nik}).content.decode()
    assert application.number in listing and "537101******0001" in listing
    assert application.number not in client.get(url, {"menunggu": "7"}).content.decode()
    export = client.get(reverse("admin:registry_collectionqueueentry_announcement", args=["csv"]))
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "537101******0001" in body and submitted.resident.nik not in body


def test_the_collection_queue_is_not_for_the_print_desk(client, staff):
    client.force_login(staff["printing"])
    response = client.get(reverse("admin:registry_collectionqueueentry_changelist"))
    assert response.status_code == 403


def test_a_residents_page_links_to_a_new_application_without_showing_the_nik(
    client, staff, resident
):
    client.force_login(staff["registration"])
    page = client.get(reverse("admin:registry_resident_change", args=[resident.pk]))
    start = reverse("admin:registry_cardapplication_add") + f"?resident={resident.pk}"
    assert start in page.content.decode()
    assert resident.full_name in client.get(start).content.decode()


def test_a_mistyped_application_address_is_not_found(client, staff):
    client.force_login(staff["registration"])
    response = client.get("/admin/registry/cardapplication/PKTP-1/change/")
    assert response.status_code == 404


def test_a_print_without_a_serial_says_which_field_is_missing(
    client, staff, submitted, station, blanks, advance
):
    application = advance(submitted, S.PRINT_READY)
    client.force_login(staff["printing"])
    response = client.post(
        _desk(application), {"step": "print", "print-station": station.pk}, follow=True
    )
    assert "nomor seri blanko:" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.PRINT_READY
