"""The desks made for a queue: the oldest card first, no assumed identity check, numbers typed
or scanned with separators, only the steps that would succeed, every failed print in the
history, the full identity at the handover step, a scan field and the next one in line."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dukcapil.models import AuditAction, AuditEntry
from registry.models import (
    ApplicationStatus,
    CardApplication,
    HandoverRefusal,
    Resident,
    SiakRecordStatus,
)
from tests.registry.factories import make_resident, nik_for, resident_form_data

pytestmark = pytest.mark.django_db
S = ApplicationStatus
NIK = "5371012701900001"
GROUPED = ["5371 0127 0190 0001", "5371.0127.0190.0001", "5371-0127-0190-0001"]


def _desk(application):
    return reverse("admin:registry_cardapplication_change", args=[application.pk])


def _printed(apply, advance, resident):
    return advance(apply(resident), S.PRINTED)


@pytest.fixture
def blanks(stock_in):
    return stock_in("KTP0000001-KTP0000005")


# The collection queue


def test_it_lists_the_card_printed_longest_ago_first_with_its_age_in_days(
    client, staff, apply, advance, blanks
):
    older = _printed(apply, advance, make_resident())
    newer = _printed(apply, advance, make_resident(nik=nik_for(2), full_name="MARIA BENU"))
    CardApplication.objects.filter(pk=older.pk).update(
        printed_at=timezone.now() - dt.timedelta(days=9)
    )
    client.force_login(staff["handover"])

    page = client.get(reverse("admin:registry_collectionqueueentry_changelist"))

    rows = list(page.context["cl"].result_list)
    assert [row.pk for row in rows] == [older.pk, newer.pk]
    assert '<td class="field-age">9</td>' in page.content.decode()


# Handover verification


def test_it_offers_no_verification_method_until_the_clerk_chooses_one(
    client, staff, apply, advance, blanks
):
    application = _printed(apply, advance, make_resident())
    client.force_login(staff["handover"])

    page = client.get(_desk(application)).content.decode()
    assert '<option value="" selected>— pilih pemeriksaan yang dilakukan —</option>' in page

    response = client.post(_desk(application), {"step": "hand_over"}, follow=True)
    assert "Pilih cara verifikasi identitas" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.PRINTED and application.verification_method == ""


# Numbers typed with separators


@pytest.mark.parametrize("typed", GROUPED)
def test_the_start_page_finds_a_nik_typed_in_groups(client, staff, resident, typed):
    client.force_login(staff["registration"])
    page = client.get(reverse("admin:registry_cardapplication_add"), {"nik": typed})
    content = page.content.decode()
    assert "NIK tidak terdaftar" not in content
    assert page.context["resident"] == resident
    assert 'maxlength="24"' in content


def test_a_resident_is_registered_with_a_nik_and_kk_typed_in_groups(client, staff):
    template = make_resident()
    data = resident_form_data(template) | {
        "nik": "5371 0127 0190 0002",
        "kk_number": "5371.0120.0115.0009",
        "birth_date": "27/01/1990",
    }
    client.force_login(staff["registration"])
    response = client.post(reverse("admin:registry_resident_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Resident.objects.get(nik="5371012701900002")
    assert saved.kk_number == "5371012001150009"


@pytest.mark.parametrize("typed", GROUPED)
def test_the_lists_find_a_nik_typed_in_groups(client, staff, resident, apply, typed):
    apply(resident)
    client.force_login(staff["registration"])
    page = client.get(reverse("admin:registry_cardapplication_changelist"), {"q": typed})
    assert [a.resident for a in page.context["cl"].result_list] == [resident]


def test_a_proxy_nik_typed_in_groups_is_kept_as_digits(client, staff, apply, advance, blanks):
    application = _printed(apply, advance, make_resident())
    client.force_login(staff["handover"])
    client.post(
        _desk(application),
        {
            "step": "hand_over",
            "hand_over-verification_method": "dokumen_asli",
            "hand_over-proxy_name": "Maria Benu",
            "hand_over-proxy_nik": "5371 4101 9000 0002",
        },
    )
    assert HandoverRefusal.objects.get().proxy_nik == "5371410190000002"


# Only the steps that would succeed


def test_no_suket_is_offered_for_a_resident_never_recorded(client, staff, resident, apply):
    application = apply(resident)
    application = CardApplication.objects.get(pk=application.pk)
    client.force_login(staff["registration"])
    client.post(_desk(application), {"step": "berkas", "berkas-verified_kinds": ["kk"]})

    page = client.get(_desk(application)).content.decode()

    assert "Terbitkan suket" not in page


def test_a_suket_is_offered_to_a_recorded_resident_and_issued(client, staff, apply):
    resident = make_resident(siak_record_status=SiakRecordStatus.RECORDED)
    application = apply(resident)
    client.force_login(staff["registration"])
    client.post(_desk(application), {"step": "berkas", "berkas-verified_kinds": ["kk"]})
    assert "Terbitkan suket" in client.get(_desk(application)).content.decode()

    response = client.post(_desk(application), {"step": "suket"}, follow=True)

    assert "Suket diterbitkan." in response.content.decode()
    assert application.sukets.count() == 1
    # One valid suket at a time: the step is gone.
    assert "Terbitkan suket" not in response.content.decode()


def test_no_suket_is_offered_while_blanks_are_in_stock(client, staff, apply, blanks):
    resident = make_resident(siak_record_status=SiakRecordStatus.RECORDED)
    application = apply(resident)
    client.force_login(staff["registration"])
    client.post(_desk(application), {"step": "berkas", "berkas-verified_kinds": ["kk"]})
    assert "Terbitkan suket" not in client.get(_desk(application)).content.decode()


# The history shows every failed print


def test_a_failed_print_appears_in_the_history(
    client, staff, resident, apply, advance, station, blanks
):
    application = advance(apply(resident), S.PRINT_READY)
    client.force_login(staff["printing"])
    client.post(
        _desk(application),
        {
            "step": "print_failed",
            "print_failed-station": station.pk,
            "print_failed-blank_serial": "KTP0000003",
            "print_failed-spoil_reason": "gagal_cetak",
        },
    )
    client.post(
        _desk(application),
        {"step": "print", "print-station": station.pk, "print-blank_serial": "KTP0000004"},
    )

    page = client.get(_desk(application))

    lines = page.context["history"]
    assert [line.to_status for line in lines][-2:] == ["Cetak gagal", S.PRINTED.label]
    assert "KTP0000003" in lines[-2].note and lines[-2].actor == staff["printing"]
    assert "KTP0000003" in page.content.decode()


# The full identity at the handover step


def test_the_handover_desk_shows_the_applicant_in_full_and_records_it(
    client, staff, resident, apply, advance, blanks
):
    application = _printed(apply, advance, resident)
    clerk = staff["handover"]
    client.force_login(clerk)

    page = client.get(_desk(application)).content.decode()

    assert NIK in page and resident.kk_number in page and "27-01-1990" in page
    entry = AuditEntry.objects.get(actor=clerk, action=AuditAction.VIEW_FULL_NIK)
    assert entry.object_id == str(resident.pk)
    assert entry.detail == {"application": application.number, "basis": "penyerahan"}
    # The lists stay masked.
    queue = client.get(reverse("admin:registry_collectionqueueentry_changelist")).content.decode()
    assert NIK not in queue and "537101******0001" in queue


def test_the_handover_clerk_sees_masked_data_once_the_card_is_handed_over(
    client, staff, resident, apply, advance, blanks
):
    application = advance(apply(resident), S.ISSUED)
    client.force_login(staff["handover"])

    page = client.get(_desk(application)).content.decode()

    assert NIK not in page and "537101******0001" in page
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW_FULL_NIK).exists()


def test_the_print_desk_still_sees_masked_data(client, staff, resident, apply, advance, blanks):
    application = _printed(apply, advance, resident)
    client.force_login(staff["printing"])
    assert NIK not in client.get(_desk(application)).content.decode()


# Scanning opens the desk


@pytest.mark.parametrize("typed", [NIK, *GROUPED])
def test_a_scanned_nik_opens_its_open_application_and_is_recorded(
    client, staff, resident, apply, typed
):
    application = apply(resident)
    client.force_login(staff["registration"])

    response = client.get(reverse("admin:registry_cardapplication_open"), {"q": typed})

    assert response.status_code == 302 and response.url == _desk(application)
    assert AuditEntry.objects.filter(action=AuditAction.SEARCH_NIK).count() == 1


@pytest.mark.parametrize("typed", ["{number}", "{number_lower}", "{pk}"])
def test_a_scanned_application_number_opens_its_desk(client, staff, resident, apply, typed):
    application = apply(resident)
    client.force_login(staff["handover"])
    term = typed.format(
        number=application.number, number_lower=application.number.lower(), pk=application.pk
    )
    response = client.get(reverse("admin:registry_cardapplication_open"), {"q": term})
    assert response.status_code == 302 and response.url == _desk(application)


def test_an_unknown_scan_goes_back_to_the_queue_and_says_so(client, staff, resident):
    client.force_login(staff["handover"])
    response = client.get(
        reverse("admin:registry_cardapplication_open"),
        {"q": GROUPED[0], "dari": "antrean"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "admin:registry_collectionqueueentry_changelist"
    )
    content = response.content.decode()
    assert "NIK 537101******0001 tidak memiliki permohonan yang sedang berjalan." in content

    response = client.get(reverse("admin:registry_cardapplication_open"), {"q": "PKTP-9999999"})
    assert response.url == reverse("admin:registry_cardapplication_changelist")


def test_the_desk_lists_carry_the_scan_field(client, staff):
    client.force_login(staff["handover"])
    for name in ["cardapplication", "collectionqueueentry"]:
        page = client.get(reverse(f"admin:registry_{name}_changelist")).content.decode()
        assert 'id="desk-scan-q"' in page


# The next one in line


def test_after_a_print_the_desk_offers_the_next_application_ready_to_print(
    client, staff, apply, advance, station, blanks
):
    first = advance(apply(make_resident()), S.PRINT_READY)
    second = advance(apply(make_resident(nik=nik_for(2), full_name="MARIA BENU")), S.PRINT_READY)
    client.force_login(staff["printing"])

    response = client.post(
        _desk(first),
        {"step": "print", "print-station": station.pk, "print-blank_serial": "KTP0000001"},
        follow=True,
    )

    assert response.context["next_application"] == second
    assert f"Berikutnya: {second.number} · MARIA BENU" in response.content.decode()


def test_after_a_handover_the_desk_offers_the_card_waiting_longest(
    client, staff, apply, advance, blanks
):
    _printed(apply, advance, make_resident())
    second = _printed(apply, advance, make_resident(nik=nik_for(2), full_name="MARIA BENU"))
    third = _printed(apply, advance, make_resident(nik=nik_for(3), full_name="PAULUS TEFA"))
    CardApplication.objects.filter(pk=third.pk).update(
        printed_at=timezone.now() - dt.timedelta(days=3)
    )
    client.force_login(staff["handover"])

    response = client.post(
        _desk(second),
        {"step": "hand_over", "hand_over-verification_method": "wajah"},
        follow=True,
    )

    assert response.context["next_application"] == third
