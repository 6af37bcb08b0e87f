"""The documents the resident takes home, printed on A4 from the desk, each print recorded."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from dukcapil.models import AuditAction, AuditEntry
from registry.models import ApplicationStatus, Suket
from registry.services.suket import suket_issue
from tests.registry.factories import make_resident

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def submitted(apply, resident):
    return apply(resident)


@pytest.fixture
def suket(apply, advance, resident, staff, settings):
    settings.DUKCAPIL_SUKET_REFUSED_WHILE_STOCK = False
    application = advance(apply(resident), S.PRINT_READY)
    return suket_issue(application=application, actor=staff["registration"])


def _receipt(application):
    return reverse("admin:registry_cardapplication_print_receipt", args=[application.pk])


def _suket(application):
    return reverse("admin:registry_cardapplication_print_suket", args=[application.pk])


def _desk(application):
    return reverse("admin:registry_cardapplication_change", args=[application.pk])


def _prints(document):
    return list(
        AuditEntry.objects.filter(
            action=AuditAction.VIEW_FULL_NIK, detail__document=document
        ).order_by("pk")
    )


def test_it_prints_the_registration_receipt_the_resident_takes_home(
    client, staff, submitted, resident
):
    client.force_login(staff["registration"])
    page = client.get(_receipt(submitted)).content.decode()

    assert "TANDA TERIMA PERMOHONAN KTP-el" in page
    assert submitted.number in page and "Baru (pemula)" in page
    assert timezone.localtime(submitted.submitted_at).strftime("%Y") in page
    assert resident.nik in page and resident.full_name in page
    assert "Langkah selanjutnya" in page and "diambil <strong>sendiri</strong>" in page
    assert "GRATIS" in page and "Pasal 79A" in page and "Laporkan calo" in page
    assert "Cara mengecek status" in page
    assert "@page { size: A4" in Path(finders.find("registry/documents.css")).read_text()


def test_it_records_every_print_and_counts_the_reprints(client, staff, submitted):
    client.force_login(staff["registration"])
    client.get(_receipt(submitted))
    again = client.get(_receipt(submitted)).content.decode()

    first, second = _prints("tanda_terima")
    assert first.detail == {"document": "tanda_terima", "reprint": 0}
    assert second.detail == {"document": "tanda_terima", "reprint": 1}
    assert (second.actor, second.object_id) == (staff["registration"], str(submitted.pk))
    assert "Cetak ulang ke-1" in again


def test_it_prints_the_suket_with_identity_validity_and_signature_block(
    client, staff, suket, resident
):
    client.force_login(staff["registration"])
    page = client.get(_suket(suket.application)).content.decode()

    assert "SURAT KETERANGAN" in page and suket.number in page
    assert resident.nik in page and resident.full_name in page and "27-01-1990" in page
    assert "enam bulan" in page and f"{suket.valid_until.year}</strong>" in page
    assert "a.n. Kepala Dinas Kependudukan dan Catatan Sipil Kota Kupang" in page
    assert "NIP." in page
    [entry] = _prints("suket")
    assert entry.detail == {"document": "suket", "reprint": 0}
    assert (entry.object_type, entry.object_id) == ("registry.suket", str(suket.pk))
    assert resident.nik not in entry.object_repr + str(entry.detail)


def test_a_returned_suket_is_not_printed_again(client, staff, suket):
    Suket.objects.filter(pk=suket.pk).update(returned_at=timezone.now())
    client.force_login(staff["registration"])
    assert client.get(_suket(suket.application)).status_code == 404
    assert not _prints("suket")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("registration", 200),
        ("supervisor", 200),
        ("recording", 403),
        ("printing", 403),
        ("handover", 403),
        ("keeper", 403),
        ("administrator", 403),
    ],
)
def test_only_the_registration_desk_and_the_supervisor_print(client, staff, suket, role, status):
    client.force_login(staff[role])
    assert client.get(_receipt(suket.application)).status_code == status
    assert client.get(_suket(suket.application)).status_code == status


def test_the_desk_links_to_the_documents_it_may_print(client, staff, apply, suket):
    submitted = apply(make_resident(nik="5371012701900002"))
    client.force_login(staff["registration"])
    plain = client.get(_desk(submitted)).content.decode()
    with_suket = client.get(_desk(suket.application)).content.decode()
    assert "Cetak tanda terima" in plain and "Cetak suket" not in plain
    assert _suket(suket.application) in with_suket

    client.force_login(staff["recording"])
    assert "Cetak tanda terima" not in client.get(_desk(suket.application)).content.decode()


def test_the_printed_page_has_no_inline_script_and_nothing_from_outside(client, staff, suket):
    client.force_login(staff["registration"])
    for url in (_receipt(suket.application), _suket(suket.application)):
        page = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\ssrc=)", page)
        assert not re.search(r"onclick|https?://", page)
