"""Receiving an application and checking its berkas: who may apply, and with which documents."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.models import (
    ApplicationStatus,
    CardApplication,
    DocumentCheck,
    DocumentKind,
)
from registry.services.applications import application_submit, berkas_check
from tests.constraints import refused_by
from tests.registry.factories import make_resident

S = ApplicationStatus
pytestmark = pytest.mark.django_db


def _submit(staff, resident, kind="baru", **fields):
    fields.setdefault("applicant_present", True)
    return application_submit(resident=resident, kind=kind, actor=staff["registration"], **fields)


def _documents(application):
    return [(d.kind, d.present, d.verified_by_id is not None) for d in application.documents.all()]


@pytest.mark.parametrize(
    ("kind", "documents", "resident_fields"),
    [
        ("baru", ["kk"], {}),
        ("pindah_datang", ["kk", "surat_pindah"], {}),
        ("luar_domisili", ["kk"], {}),
        ("hilang", ["kk", "surat_kehilangan"], {"siak_record_status": 8}),
        ("rusak", ["kk", "ktp_rusak"], {"siak_record_status": 8}),
        ("perubahan_data", ["kk", "bukti_perubahan"], {"siak_record_status": 8}),
        ("wna_itap", ["kk", "paspor_itap"], {"nationality": "WNA"}),
    ],
)
def test_each_kind_asks_for_its_own_documents(staff, kind, documents, resident_fields):
    resident = make_resident(**resident_fields)
    application = _submit(staff, resident, kind, documents_present=["kk"])
    assert application.status == S.SUBMITTED
    assert _documents(application) == [(d, d == "kk", False) for d in documents]


def test_no_rt_rw_covering_letter_is_ever_asked_for(staff, resident):
    # Dropped by Perpres 96/2018: asking for one is exactly what brokers sell.
    assert not [label for label in DocumentKind.labels if "RT" in label or "pengantar" in label]
    application = _submit(staff, resident, documents_present=["kk", "surat_pengantar_rt"])
    assert [d.kind for d in application.documents.all()] == ["kk"]

    with pytest.raises(ValidationError) as refused:
        berkas_check(
            application=application,
            verified_kinds=["kk", "surat_pengantar_rt"],
            actor=staff["registration"],
        )
    assert refused.value.messages == [
        "Dokumen ini tidak diperlukan untuk permohonan baru (pemula): surat_pengantar_rt."
    ]
    # Nothing of the refused check was kept, not even the document that was fine.
    assert _documents(application) == [("kk", True, False)]


def test_the_application_is_verified_only_once_every_document_is(staff):
    resident = make_resident(siak_record_status=8)
    application = _submit(staff, resident, "hilang", documents_present=["kk"])

    application = berkas_check(
        application=application, verified_kinds=["kk"], actor=staff["registration"]
    )
    assert application.status == S.SUBMITTED
    assert _documents(application) == [("kk", True, True), ("surat_kehilangan", False, False)]

    application = berkas_check(
        application=application, verified_kinds=["surat_kehilangan"], actor=staff["registration"]
    )
    application.refresh_from_db()
    assert application.status == S.VERIFIED and application.verified_at is not None
    assert _documents(application) == [("kk", True, True), ("surat_kehilangan", True, True)]
    assert [e.to_status for e in application.events.all()] == [S.SUBMITTED, S.VERIFIED]


def test_the_clerk_who_checked_each_document_is_kept(staff, resident):
    application = _submit(staff, resident)
    berkas_check(application=application, verified_kinds=["kk"], actor=staff["registration"])
    document = application.documents.get()
    assert document.verified_by == staff["registration"] and document.verified_at is not None


def test_a_berkas_already_checked_is_not_checked_again(staff, resident):
    application = _submit(staff, resident)
    berkas_check(application=application, verified_kinds=["kk"], actor=staff["registration"])
    with pytest.raises(ValidationError, match="sudah diperiksa \\(status “Berkas lengkap”\\)"):
        berkas_check(application=application, verified_kinds=["kk"], actor=staff["registration"])


def test_a_document_cannot_be_verified_without_being_present(staff, resident):
    document = _submit(staff, resident).documents.get()
    document.verified_by = staff["registration"]
    with refused_by("document_verified_only_if_present"):
        document.save()


def test_the_applicant_must_come_in_person(staff, resident):
    with pytest.raises(ValidationError) as refused:
        _submit(staff, resident, applicant_present=False, helper_name="Ketua RT 003")
    assert refused.value.messages == [
        "Pemohon wajib hadir sendiri; permohonan tidak diterima melalui perantara."
    ]
    assert not CardApplication.objects.exists() and not DocumentCheck.objects.exists()


def test_the_database_refuses_an_application_without_the_applicant(staff, resident):
    with refused_by("application_applicant_present"):
        CardApplication.objects.create(
            resident=resident,
            kind="baru",
            status=S.SUBMITTED,
            applicant_present=False,
            submitted_by=staff["registration"],
            submitted_at=timezone.now(),
        )


def test_a_helper_and_phone_are_noted_for_broker_checks(staff, resident):
    application = _submit(staff, resident, phone=" 081234567890 ", helper_name=" paulus tefa ")
    assert (application.phone, application.helper_name) == ("081234567890", "PAULUS TEFA")


def _sixteen_today() -> dt.date:
    today = timezone.localdate()
    return dt.date(today.year - 16, today.month, min(today.day, 28))


def test_someone_not_yet_obliged_to_hold_a_card_is_refused_with_the_reason(staff):
    child = make_resident(birth_date=_sixteen_today(), marital_status="BELUM_KAWIN")
    with pytest.raises(ValidationError) as refused:
        _submit(staff, child)
    assert refused.value.messages == [
        "YOHANES NDOLU belum wajib KTP: belum berumur 17 tahun dan belum pernah kawin."
    ]
    assert not CardApplication.objects.exists()


def test_someone_under_seventeen_who_is_married_may_apply(staff):
    married = make_resident(birth_date=_sixteen_today(), marital_status="KAWIN")
    assert _submit(staff, married).status == S.SUBMITTED


@pytest.mark.parametrize(
    ("life_status", "word"), [("MENINGGAL", "meninggal"), ("PINDAH", "pindah")]
)
def test_a_resident_who_died_or_moved_away_cannot_apply(staff, life_status, word):
    resident = make_resident(life_status=life_status)
    with pytest.raises(ValidationError) as refused:
        _submit(staff, resident)
    assert refused.value.messages == [
        f"YOHANES NDOLU berstatus {word}; permohonan tidak dapat diterima."
    ]


def test_a_foreigner_applies_only_as_a_kitap_holder(staff):
    foreigner = make_resident(nationality="WNA")
    with pytest.raises(ValidationError, match="hanya untuk penduduk WNA"):
        _submit(staff, foreigner, "baru")
    assert _submit(staff, foreigner, "wna_itap").kind == "wna_itap"


def test_a_citizen_cannot_apply_as_a_kitap_holder(staff, resident):
    with pytest.raises(ValidationError, match="penduduk WNA hanya dapat mengajukan"):
        _submit(staff, resident, "wna_itap")
    assert not CardApplication.objects.exists()


def test_an_unknown_kind_is_refused(staff, resident):
    with pytest.raises(ValidationError) as refused:
        _submit(staff, resident, "surat_sakti")
    assert refused.value.messages == ["Pilih jenis permohonan."]


@pytest.mark.parametrize("typed", ["0812-3456-7890", "+62 812 3456 7890", "62812.3456.7890"])
def test_the_contact_phone_is_kept_in_one_spelling(apply, resident, typed):
    assert apply(resident, phone=typed).phone == "081234567890"
