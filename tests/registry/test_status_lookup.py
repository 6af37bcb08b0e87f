"""/cek-ktp/: a resident types NIK and birth date and learns only the state of their e-KTP,
in plain Indonesian, with what to bring; nothing tells which NIKs exist."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import (
    ApplicationStatus,
    CardApplication,
    LookupOutcome,
    SiakRecordStatus,
    StatusLookup,
)
from registry.public.services import nik_hash
from registry.services.applications import application_cancel
from registry.services.recording import central_result_apply
from tests.registry.factories import make_resident

pytestmark = pytest.mark.django_db

S = ApplicationStatus
URL = "/cek-ktp/"
WITA = zoneinfo.ZoneInfo("Asia/Makassar")
LOCMEM = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cek-ktp-tests",
    }
}
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def counters():
    """The rate-limit counters in a local-memory cache of their own, empty for each test."""
    with override_settings(CACHES=LOCMEM):
        cache.clear()
        yield


def _ask(client, nik="5371012701900001", born="27-01-1990", **extra):
    return client.post(URL, {"nik": nik, "tanggal_lahir": born}, **extra)


def _text(response) -> str:
    return response.content.decode()


def test_it_says_there_is_no_application_yet(client, resident):
    page = _text(_ask(client))
    assert "Belum ada permohonan" in page
    assert "Kartu Keluarga asli" in page


def test_it_says_the_card_is_being_processed(client, resident, apply):
    apply(resident)
    page = _text(_ask(client))
    assert "Sedang diproses" in page
    assert "Belum ada yang perlu Anda bawa" in page


def test_it_asks_the_resident_to_come_again_when_the_recording_failed(
    client, staff, resident, apply, advance
):
    application = advance(apply(resident), S.RECORDED)
    central_result_apply(
        application=application, to_status=S.ENROLL_FAILED, actor=staff["recording"]
    )
    page = _text(_ask(client))
    assert "Sedang diproses" in page
    assert "Perekaman data Anda perlu diulang" in page


def test_it_says_where_and_since_when_a_printed_card_waits(
    client, resident, apply, advance, stock_in
):
    stock_in("KTP0001")
    application = advance(apply(resident), S.PRINTED)
    printed = dt.datetime(2020, 2, 3, 23, 30, tzinfo=WITA)  # 15.30 UTC: still the 3rd in Kupang
    CardApplication.objects.filter(pk=application.pk).update(printed_at=printed)

    page = _text(_ask(client))

    assert "Siap diambil di loket penyerahan Dinas Dukcapil sejak 3 Februari 2020" in page
    assert "Tanda terima permohonan KTP-el" in page
    assert "Datang sendiri" in page
    assert "KTP-el lama" not in page  # a first card: no old card to hand back


def test_a_replacement_card_asks_for_the_old_card(client, resident, apply, advance, stock_in):
    stock_in("KTP0001")
    resident.siak_record_status = SiakRecordStatus.RECORDED
    resident.save()
    advance(apply(resident, "rusak"), S.PRINTED)
    assert "KTP-el lama Anda: ditarik" in _text(_ask(client))


def test_it_says_the_card_was_handed_over(client, resident, apply, advance, stock_in):
    stock_in("KTP0001")
    application = advance(apply(resident), S.ISSUED)
    page = _text(_ask(client))
    assert f"Sudah diserahkan pada {application.issued_at.astimezone(WITA):%-d} " in page
    assert "segera laporkan" in page


def test_a_cancelled_application_counts_as_none(client, staff, resident, apply):
    application_cancel(application=apply(resident), actor=staff["supervisor"], reason="Uji")
    assert "Belum ada permohonan" in _text(_ask(client))


def test_the_answer_tells_nothing_else_about_the_person(client, resident, apply, advance, stock_in):
    stock_in("KTP0001")
    advance(apply(resident), S.PRINTED)
    page = _text(_ask(client, nik="5371 0127 0190 0001"))
    assert "Siap diambil" in page
    for private in (
        resident.full_name,
        resident.address,
        resident.nik,
        "5371 0127",
        "27-01-1990",
        resident.village.name,
    ):
        assert private not in page


def _lookup(client, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = _ask(client, **kwargs)
    return CSRF.sub(b"", response.content), response.status_code, len(queries)


def test_an_unknown_nik_and_a_wrong_birth_date_get_the_same_answer(
    client, resident, apply, advance, stock_in
):
    stock_in("KTP0001")
    advance(apply(resident), S.PRINTED)
    unknown = _lookup(client, nik="5371012701900002")
    wrong_date = _lookup(client, born="28-01-1990")
    other_resident = make_resident(nik="5371014506900003", full_name="MARIA NDOLU")
    no_application = _lookup(client, nik=other_resident.nik, born="27-01-1990")

    assert unknown == wrong_date == no_application  # bytes, status and number of queries
    assert b"Belum ada permohonan" in unknown[0]
    assert "Siap diambil" in _text(_ask(client))


@pytest.mark.parametrize(
    "nik, born, message",
    [
        ("53710127019", "27-01-1990", "NIK harus 16 digit, bukan 11."),
        ("53710127019000AB", "27-01-1990", "NIK hanya boleh berisi angka."),
        ("5371013201900001", "27-01-1990", "NIK: tanggal lahir 32 tidak sah"),
        ("", "27-01-1990", "Isi NIK Anda."),
        ("5371012701900001", "1990-01-27", "Tulis tanggal lahir sebagai HH-BB-TTTT"),
        ("5371012701900001", "31-02-1990", "Tulis tanggal lahir sebagai HH-BB-TTTT"),
        ("5371012701900001", "27-01-2990", "Tanggal lahir tidak mungkin."),
        ("5371012701900001", "", "Isi tanggal lahir Anda."),
        ("5371012701900001" * 100, "27-01-1990", "NIK terdiri dari 16 angka."),
    ],
)
def test_bad_input_gets_a_clear_message_and_no_lookup(client, resident, nik, born, message):
    response = _ask(client, nik=nik, born=born)
    assert response.status_code == 200
    assert message in _text(response)
    assert not StatusLookup.objects.exists()


def test_a_nik_in_the_address_looks_nothing_up(client, resident):
    response = client.get(f"{URL}?nik={resident.nik}&tanggal_lahir=27-01-1990")
    assert response.status_code == 200
    page = _text(response)
    assert "Belum ada permohonan" not in page and resident.nik not in page
    assert not StatusLookup.objects.exists()


def test_every_lookup_is_logged_with_a_keyed_hash_of_the_nik(client, resident, apply, settings):
    apply(resident)
    _ask(client, REMOTE_ADDR="10.1.2.3")
    _ask(client, born="01-01-1990", REMOTE_ADDR="10.1.2.4")

    first, second = StatusLookup.objects.order_by("id")
    assert (first.address, first.outcome) == ("10.1.2.3", LookupOutcome.PROCESSING)
    assert (second.address, second.outcome) == ("10.1.2.4", LookupOutcome.NONE)
    assert first.nik_hash == second.nik_hash == nik_hash(resident.nik)
    assert resident.nik not in first.nik_hash
    # Hashing a kelurahan's NIKs without the key finds nothing: the key changes every hash.
    settings.DUKCAPIL_LOOKUP_HASH_KEY = "kunci-lain"
    assert nik_hash(resident.nik) != first.nik_hash


def test_a_lookup_takes_a_fixed_number_of_queries(client, resident, django_assert_num_queries):
    with django_assert_num_queries(2):  # the application, the log row
        _ask(client)


def _logged(client) -> StatusLookup:
    _ask(client)
    return StatusLookup.objects.get()


def test_nobody_can_change_or_delete_the_log_in_code(client, resident):
    entry = _logged(client)
    entry.outcome = LookupOutcome.READY
    with pytest.raises(PermissionError, match="tidak dapat diubah"):
        entry.save()
    with pytest.raises(PermissionError, match="tidak dapat dihapus"):
        entry.delete()
    with pytest.raises(PermissionError, match="tidak dapat diubah"):
        StatusLookup.objects.update(outcome=LookupOutcome.READY)
    assert StatusLookup.objects.get().outcome == LookupOutcome.NONE


@pytest.mark.postgres
def test_postgresql_refuses_to_rewrite_the_log(client, resident):
    entry = _logged(client)
    for sql in (
        "UPDATE registry_statuslookup SET outcome = 'ready' WHERE id = %s",
        "DELETE FROM registry_statuslookup WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert StatusLookup.objects.get().outcome == LookupOutcome.NONE


def test_the_kepala_seksi_reads_the_log_and_finds_a_nik_by_its_hash(client, staff, resident):
    entry = _logged(client)
    client.force_login(staff["supervisor"])
    changelist = reverse("admin:registry_statuslookup_changelist")

    page = client.get(changelist, {"q": "5371 0127 0190 0001"})
    other = client.get(changelist, {"q": "5371012701900002"})

    assert page.status_code == 200
    assert entry.nik_hash in page.content.decode()
    assert entry.nik_hash not in other.content.decode()
    assert client.get(changelist, {"q": "bukan-alamat"}).status_code == 200


def test_the_kepala_seksi_can_neither_change_nor_delete_a_log_entry(client, staff, resident):
    entry = _logged(client)
    client.force_login(staff["supervisor"])
    change = client.post(
        reverse("admin:registry_statuslookup_change", args=[entry.pk]), {"outcome": "ready"}
    )
    delete = client.post(
        reverse("admin:registry_statuslookup_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert (change.status_code, delete.status_code) == (403, 403)
    assert StatusLookup.objects.get().outcome == LookupOutcome.NONE


@pytest.mark.parametrize(
    "role", ["registration", "recording", "printing", "handover", "keeper", "administrator"]
)
def test_other_roles_may_not_read_the_log(client, staff, resident, role):
    _logged(client)
    client.force_login(staff[role])
    response = client.get(reverse("admin:registry_statuslookup_changelist"))
    assert response.status_code == 403
