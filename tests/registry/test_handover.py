"""Handing the card to its owner in person; proxies, old cards and sukets (DESIGN §6.3)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from registry.models import ApplicationStatus, HandoverRefusal
from registry.selectors.applications import old_cards_awaiting_destruction
from registry.services.handover import card_hand_over
from registry.services.suket import suket_issue
from stock.services import destruction_create
from tests.registry.factories import make_resident, nik_for

S = ApplicationStatus
pytestmark = pytest.mark.django_db

SISTER_NIK = nik_for(2, day=45, month=3, year=95)


@pytest.fixture
def printed(apply, advance, resident, stock_in):
    stock_in()
    return advance(apply(resident), S.PRINTED)


@pytest.fixture
def sister(resident):
    """Living in the same family card as the card's owner."""
    return make_resident(
        nik=SISTER_NIK,
        full_name="MARIA NDOLU",
        sex="P",
        birth_date=dt.date(1995, 3, 5),
        kk_number=resident.kk_number,
    )


@pytest.fixture
def family_policy(settings):
    settings.DUKCAPIL_HANDOVER_PROXY_POLICY = "family"


def _hand_over(application, actor, **fields):
    fields.setdefault("verification_method", "sidik_jari")
    return card_hand_over(application=application, actor=actor, **fields)


def test_the_owner_collects_in_person_with_identity_verified(printed, staff):
    application = _hand_over(printed, staff["handover"], verification_method="wajah")

    application.refresh_from_db()
    assert application.status == S.ISSUED
    assert (application.handed_over_by, application.verification_method) == (
        staff["handover"],
        "wajah",
    )
    assert (application.proxy_name, application.proxy_nik) == ("", "")
    event = application.events.last()
    assert (event.to_status, event.actor, event.note) == (S.ISSUED, staff["handover"], "")
    assert not HandoverRefusal.objects.exists()


def test_the_way_identity_was_verified_is_required(printed, staff):
    with pytest.raises(ValidationError) as refused:
        _hand_over(printed, staff["handover"], verification_method="")
    assert refused.value.messages == ["Pilih cara verifikasi identitas pengambil."]
    printed.refresh_from_db()
    assert printed.status == S.PRINTED


def test_a_proxy_is_refused_under_the_default_policy_and_the_attempt_is_kept(
    printed, staff, sister
):
    with pytest.raises(ValidationError) as refused:
        _hand_over(
            printed,
            staff["handover"],
            proxy_name=" maria ndolu ",
            proxy_nik=SISTER_NIK,
            proxy_original_card=True,
        )

    reason = "KTP-el hanya diserahkan kepada pemiliknya sendiri; pengambilan diwakilkan ditolak."
    assert refused.value.messages == [reason]
    printed.refresh_from_db()
    assert printed.status == S.PRINTED and printed.handed_over_by is None
    refusal = HandoverRefusal.objects.get()
    assert (refusal.application, refusal.actor, refusal.proxy_name, refusal.proxy_nik) == (
        printed,
        staff["handover"],
        "MARIA NDOLU",
        SISTER_NIK,
    )
    assert refusal.reason == reason


def test_every_refused_attempt_is_kept(printed, staff):
    for name in ("BAPAK RT", "OM YAN"):
        with pytest.raises(ValidationError):
            _hand_over(printed, staff["handover"], proxy_name=name, proxy_nik="5371010101800001")
    assert sorted(HandoverRefusal.objects.values_list("proxy_name", flat=True)) == [
        "BAPAK RT",
        "OM YAN",
    ]


@pytest.mark.usefixtures("family_policy")
def test_the_family_policy_lets_a_family_member_with_her_original_card_collect(
    printed, staff, sister
):
    application = _hand_over(
        printed,
        staff["handover"],
        verification_method="dokumen_asli",
        proxy_name="Maria Ndolu",
        proxy_nik=SISTER_NIK,
        proxy_original_card=True,
    )

    application.refresh_from_db()
    assert application.status == S.ISSUED
    assert (application.proxy_name, application.proxy_nik) == ("MARIA NDOLU", SISTER_NIK)
    assert application.events.last().note == f"Diambil oleh MARIA NDOLU ({SISTER_NIK})"
    assert not HandoverRefusal.objects.exists()


@pytest.mark.usefixtures("family_policy")
@pytest.mark.parametrize(
    ("proxy", "original_card", "reason"),
    [
        ("stranger", True, "Pengambil bukan anggota keluarga dalam Kartu Keluarga yang sama."),
        ("deceased", True, "Pengambil bukan anggota keluarga dalam Kartu Keluarga yang sama."),
        ("owner", True, "Pengambil bukan anggota keluarga dalam Kartu Keluarga yang sama."),
        ("unregistered", True, "Pengambil bukan anggota keluarga dalam Kartu Keluarga yang sama."),
        ("sister", False, "Pengambil wajib menunjukkan KTP-el asli miliknya."),
    ],
)
def test_the_family_policy_still_refuses_anyone_else(
    printed, staff, resident, sister, proxy, original_card, reason
):
    niks = {
        "stranger": make_resident(nik=nik_for(3), kk_number="5371012001150011").nik,
        "deceased": make_resident(
            nik=nik_for(4), kk_number=resident.kk_number, life_status="MENINGGAL"
        ).nik,
        "owner": resident.nik,
        "unregistered": nik_for(5),
        "sister": sister.nik,
    }
    with pytest.raises(ValidationError) as refused:
        _hand_over(
            printed,
            staff["handover"],
            proxy_name="Pengambil",
            proxy_nik=niks[proxy],
            proxy_original_card=original_card,
        )
    assert refused.value.messages == [reason]
    assert HandoverRefusal.objects.get().reason == reason
    printed.refresh_from_db()
    assert printed.status == S.PRINTED


def test_a_proxy_must_give_name_and_nik(printed, staff):
    with pytest.raises(ValidationError) as refused:
        _hand_over(printed, staff["handover"], proxy_name="MARIA NDOLU")
    assert refused.value.messages == ["Isi nama dan NIK pengambil."]


def test_only_the_handover_desk_hands_over_and_records_refusals(printed, staff):
    with pytest.raises(PermissionDenied):
        _hand_over(printed, staff["printing"], proxy_name="CALO", proxy_nik=nik_for(9))
    with pytest.raises(PermissionDenied):
        _hand_over(printed, staff["printing"])
    assert not HandoverRefusal.objects.exists()
    printed.refresh_from_db()
    assert printed.status == S.PRINTED


def test_a_proxy_for_a_card_not_yet_printed_is_told_the_card_is_not_ready(
    apply, advance, resident, staff
):
    application = advance(apply(resident), S.PRINT_READY)
    with pytest.raises(ValidationError, match="tidak dapat menjadi “Diserahkan”"):
        _hand_over(application, staff["handover"], proxy_name="CALO", proxy_nik=nik_for(9))
    assert not HandoverRefusal.objects.exists()


@pytest.mark.parametrize(
    ("kind", "label"), [("rusak", "rusak"), ("perubahan_data", "perubahan data")]
)
def test_a_replaced_card_is_handed_over_only_against_the_old_one(
    apply, advance, staff, stock_in, kind, label
):
    stock_in()
    application = advance(apply(make_resident(siak_record_status=8), kind), S.PRINTED)

    with pytest.raises(ValidationError) as refused:
        _hand_over(application, staff["handover"])
    assert refused.value.messages == [
        f"Untuk permohonan {label}, KTP-el lama wajib ditarik saat penyerahan."
    ]
    application.refresh_from_db()
    assert application.status == S.PRINTED

    application = _hand_over(application, staff["handover"], old_card_collected=True)
    application.refresh_from_db()
    assert application.status == S.ISSUED and application.old_card_collected


def test_a_lost_card_is_replaced_without_an_old_card(apply, advance, staff, stock_in):
    stock_in()
    application = advance(apply(make_resident(siak_record_status=8), "hilang"), S.PRINTED)
    application = _hand_over(application, staff["handover"])
    application.refresh_from_db()
    assert application.status == S.ISSUED and not application.old_card_collected


def test_the_suket_is_taken_back_when_the_card_is_handed_over(
    apply, advance, resident, staff, stock_in
):
    application = advance(apply(resident), S.PRINT_READY)
    suket = suket_issue(application=application, actor=staff["registration"])
    stock_in()  # the blanks arrive
    application = advance(application, S.ISSUED)

    suket.refresh_from_db()
    application.refresh_from_db()
    assert suket.returned_at == application.issued_at


def test_old_cards_taken_back_start_the_next_destruction_record(
    client, apply, advance, staff, stock_in
):
    stock_in()
    for serial, kind in [(1, "rusak"), (2, "perubahan_data"), (3, "hilang")]:
        resident = make_resident(nik=nik_for(serial), siak_record_status=8)
        application = advance(apply(resident, kind), S.PRINTED)
        _hand_over(application, staff["handover"], old_card_collected=kind != "hilang")
    assert old_cards_awaiting_destruction() == 2

    client.force_login(staff["keeper"])
    form = client.get(reverse("admin:stock_destruction_add")).context["form"]
    assert form.initial["returned_old_cards"] == 2

    destruction_create(
        serials=[],
        destroyed_on=timezone.localdate(),
        witnesses="YOHANES NDOLU — Kepala Seksi\nMARIA LAKA — Pengelola Blanko",
        actor=staff["keeper"],
        returned_old_cards=2,
    )
    assert old_cards_awaiting_destruction() == 0
