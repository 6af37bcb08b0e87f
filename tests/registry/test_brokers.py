"""Broker indicators (DESIGN §6.3): contacts shared across families, refused proxies, and work
done off duty — found by the selectors and shown to the Kepala Seksi on "Indikasi calo"."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dukcapil.accounts import system_user
from dukcapil.privacy import mask_number
from registry.models import ApplicationEvent, ApplicationStatus, CardApplication, HandoverRefusal
from registry.selectors.brokers import (
    off_duty_actions,
    off_duty_events,
    proxy_refusals,
    refusals_by_same_proxy,
    refused_proxies,
    shared_helpers,
    shared_phones,
)
from registry.services.applications import application_cancel
from registry.services.handover import card_hand_over
from registry.services.siak_load import applications_load_from_siak
from shifts.models import Post, ShiftType, Staff
from shifts.services import assignment_set, roster_create, roster_publish
from tests.registry.factories import make_resident, nik_for

S = ApplicationStatus
pytestmark = pytest.mark.django_db

KK_NDOLU = "5371012001150003"
KK_LAY = "5371012001150004"
KK_BENU = "5371012001150005"
BROKER_NIK = "5371041203800007"
PAGE = "admin:registry_broker_indicators"


def _at(*moment) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*moment))


def _now(monkeypatch, *moment):
    monkeypatch.setattr(timezone, "now", lambda: _at(*moment))


@pytest.fixture
def family(db):
    """Residents by family card: family("ndolu", 2) → two members of the Ndolu family."""
    serial = iter(range(1, 1000))
    cards = {"ndolu": KK_NDOLU, "lay": KK_LAY, "benu": KK_BENU}

    def make(name: str, members: int = 1):
        return [
            make_resident(
                nik=nik_for(n := next(serial)),
                kk_number=cards[name],
                full_name=f"{name.upper()} ANGGOTA {n}",
            )
            for _ in range(members)
        ]

    return make


@pytest.fixture
def printed(apply, advance, family, stock_in):
    """Printed cards waiting for their owners, one per family named."""
    stock_in("KTP0001-KTP0020")

    def make(*names: str):
        return [advance(apply(family(name)[0]), S.PRINTED) for name in names]

    return make


def _proxy_tries(application, actor, *, name: str, nik: str):
    with pytest.raises(ValidationError):
        card_hand_over(
            application=application,
            actor=actor,
            verification_method="dokumen_asli",
            proxy_name=name,
            proxy_nik=nik,
            proxy_original_card=True,
        )


@pytest.fixture
def duty(staff):
    """A published January 2020 roster: duty({"registration": ("P", "DAF")}, day)."""
    supervisor = staff["supervisor"]
    roster = roster_create(
        period_start=dt.date(2020, 1, 1), period_end=dt.date(2020, 1, 31), actor=supervisor
    )
    shifts = {s.code: s for s in ShiftType.objects.all()}
    posts = {p.code: p for p in Post.objects.all()}
    serial = iter(range(1, 100))

    def put(plan: dict[str, tuple[str, str]], day: dt.date):
        for role, (shift_code, post_code) in plan.items():
            person = Staff.objects.create(
                nip=f"198504122010031{next(serial):03d}", name=f"Petugas {role}", user=staff[role]
            )
            person.posts.add(posts[post_code])
            assignment_set(
                roster=roster,
                staff=person,
                day=day,
                shift_type=shifts[shift_code],
                post=posts[post_code],
                actor=supervisor,
            )
        roster_publish(roster=roster, actor=supervisor)

    return put


# Shared phones and helpers


def test_a_phone_shared_within_one_family_is_not_flagged(apply, family):
    for member in family("ndolu", 2):
        apply(member, phone="081237001122")
    apply(family("lay")[0], phone="081237009999")

    assert shared_phones() == []


def test_a_phone_across_two_families_is_flagged_with_its_counts(apply, family):
    ndolu = [apply(m, phone="081237001122") for m in family("ndolu", 2)]
    lay = apply(family("lay")[0], phone=" 081237001122 ")
    apply(family("benu")[0], phone="081237009999")

    [flagged] = shared_phones()

    assert (flagged.value, flagged.applications, flagged.families) == ("081237001122", 3, 2)
    assert flagged.latest == max(a.submitted_at for a in [*ndolu, lay])
    assert shared_phones(min_families=3) == []


def test_applications_without_a_phone_are_not_one_shared_number(apply, family):
    apply(family("ndolu")[0])
    apply(family("lay")[0])
    assert shared_phones() == []


def test_only_applications_in_the_window_count(apply, family, monkeypatch):
    with monkeypatch.context() as m:
        _now(m, 2020, 1, 2, 9, 0)
        apply(family("ndolu")[0], phone="081237001122")
    apply(family("lay")[0], phone="081237001122")

    assert [c.value for c in shared_phones()] == ["081237001122"]
    assert shared_phones(since=timezone.now() - dt.timedelta(days=30)) == []


def test_a_helper_across_families_is_flagged_and_one_within_a_family_is_not(apply, family):
    apply(family("ndolu")[0], helper_name="Pak Yakob")
    apply(family("lay")[0], helper_name=" pak yakob")
    for member in family("benu", 2):
        apply(member, helper_name="MAMA BENU")

    assert [(c.value, c.applications, c.families) for c in shared_helpers()] == [
        ("PAK YAKOB", 2, 2)
    ]


# Refused proxies


def test_refused_proxies_are_grouped_by_nik_across_families(printed, staff):
    ndolu, lay = printed("ndolu", "lay")
    clerk = staff["handover"]
    _proxy_tries(ndolu, clerk, name="Paulus Manu", nik=BROKER_NIK)
    _proxy_tries(lay, clerk, name="Paulus Manu", nik=BROKER_NIK)
    _proxy_tries(lay, clerk, name="Paul Manu", nik=BROKER_NIK)
    sister = nik_for(900, day=45, month=3, year=95)
    _proxy_tries(ndolu, clerk, name="Maria Ndolu", nik=sister)

    broker, relative = refused_proxies()

    assert (broker.nik, broker.attempts, broker.applications, broker.families) == (
        BROKER_NIK,
        3,
        2,
        2,
    )
    assert broker.names == 2 and broker.name in {"PAULUS MANU", "PAUL MANU"}
    assert (relative.nik, relative.name, relative.attempts, relative.families) == (
        sister,
        "MARIA NDOLU",
        1,
        1,
    )
    assert proxy_refusals().count() == 4
    same = refusals_by_same_proxy(HandoverRefusal.objects.all(), broker.first_refusal)
    assert sorted(r.proxy_name for r in same) == ["PAUL MANU", "PAULUS MANU", "PAULUS MANU"]


def test_a_refusal_without_a_nik_is_grouped_by_name(printed, staff):
    [ndolu] = printed("ndolu")
    for _ in range(2):
        HandoverRefusal.objects.create(
            application=ndolu,
            at=timezone.now(),
            actor=staff["handover"],
            proxy_name="KETUA RT",
            reason="Pengambilan diwakilkan ditolak.",
        )

    [group] = refused_proxies()

    assert (group.nik, group.name, group.attempts, group.families) == ("", "KETUA RT", 2, 1)


def test_no_refusal_no_group(printed, staff):
    [ndolu] = printed("ndolu")
    card_hand_over(application=ndolu, actor=staff["handover"], verification_method="sidik_jari")
    assert refused_proxies() == []


# Work done off duty


@pytest.fixture
def january_day(duty, staff, apply, advance, family, monkeypatch):
    """28 January 2020 on a published roster: registration on pagi (07–15) at the desk,
    recording on sore (15–23); the supervisor and the system account are on no roster."""
    duty({"registration": ("P", "DAF"), "recording": ("S", "REK")}, dt.date(2020, 1, 28))
    _now(monkeypatch, 2020, 1, 28, 9, 30)
    advance(apply(family("ndolu")[0]), S.RECORDED)  # recording operator before their shift
    loaded = family("benu", 2)
    for resident in loaded:
        resident.siak_record_status = 3
        resident.save()
    applications_load_from_siak(resident_ids=[loaded[0].pk])  # by the system account
    _now(monkeypatch, 2020, 1, 28, 16, 0)
    late = apply(family("lay")[0])  # registration after their shift
    application_cancel(application=late, actor=staff["supervisor"], reason="Data salah")
    applications_load_from_siak(resident_ids=[loaded[1].pk], actor=staff["registration"])
    _now(monkeypatch, 2020, 2, 3, 9, 30)
    apply(family("ndolu")[0])  # no published roster covers February: nobody is on duty
    _now(monkeypatch, 2020, 2, 3, 10, 0)


def test_steps_outside_the_actors_published_shift_are_flagged(january_day, staff):
    flagged = {(a.username, a.staff_name, a.events, a.applications) for a in off_duty_actions()}

    assert flagged == {
        ("operator-perekaman", "Petugas recording", 1, 1),
        ("petugas-pendaftaran", "Petugas registration", 1, 1),
        ("kepala-seksi", None, 1, 1),
    }
    events = off_duty_events(actor_id=staff["recording"].pk)
    assert [(e.from_status, e.to_status) for e in events] == [(S.VERIFIED, S.RECORDED)]


def test_the_system_account_and_siak_loads_are_never_off_duty(january_day, staff):
    # Work a command-line job attributed to the system account, at 16:00 on the roster's day.
    application = CardApplication.objects.filter(loaded_from_siak=True).first()
    ApplicationEvent.objects.create(
        application=application,
        from_status=application.status,
        to_status=application.status,
        actor=system_user(),
        at=_at(2020, 1, 28, 16, 0),
        note="Koreksi data dari perintah",
    )

    users = {e.actor for e in off_duty_events()}
    assert system_user() not in users
    assert not off_duty_events().filter(application__loaded_from_siak=True).exists()


def test_off_duty_actions_are_grouped_newest_first_within_the_window(january_day):
    later = off_duty_actions(since=_at(2020, 1, 28, 12, 0))
    assert [a.username for a in later] == ["petugas-pendaftaran", "kepala-seksi"]
    assert later[0].latest == _at(2020, 1, 28, 16, 0)
    assert not later[1].is_staff_member


def test_a_rosters_days_are_days_in_kupang(duty, apply, family, monkeypatch):
    duty({"recording": ("S", "REK")}, dt.date(2020, 1, 28))
    # 00:30 WITA on 1 January, the roster's first day, is still 31 December in UTC.
    _now(monkeypatch, 2020, 1, 1, 0, 30)
    apply(family("ndolu")[0])

    assert [a.username for a in off_duty_actions()] == ["petugas-pendaftaran"]


# The page


def _everything(printed, apply, family, staff, tag: str):
    """One more row in each section: a shared phone, a shared helper, a refused proxy, a step
    off duty."""
    phone, helper = f"08123700{tag}", f"PENDAMPING {tag}"
    ndolu, lay = printed("ndolu", "lay")
    apply(family("ndolu")[0], phone=phone, helper_name=helper)
    apply(family("lay")[0], phone=phone, helper_name=helper)
    _proxy_tries(ndolu, staff["handover"], name=f"CALO {tag}", nik=nik_for(int(tag), year=80))
    _proxy_tries(lay, staff["handover"], name=f"CALO {tag}", nik=nik_for(int(tag), year=80))


@pytest.fixture
def busy(duty, printed, apply, family, staff, monkeypatch):
    duty({"handover": ("P", "SRH")}, dt.date(2020, 1, 28))
    _now(monkeypatch, 2020, 1, 28, 20, 0)  # everyone off duty

    def more(tag: str):
        _everything(printed, apply, family, staff, tag)

    return more


def test_the_kepala_seksi_sees_every_indicator(client, staff, busy):
    busy("11")
    client.force_login(staff["supervisor"])

    page = client.get(reverse(PAGE))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Indikasi calo" in text
    assert "0812370011" in text
    assert "PENDAMPING 11" in text
    assert nik_for(11, year=80) in text and "CALO 11" in text
    # The desks worked at 20:00, and the registration clerk is on no roster at all.
    assert "petugas-pendaftaran" in text and "tidak terdaftar sebagai petugas" in text


def test_the_page_runs_the_same_queries_however_much_it_shows(
    client, staff, busy, django_assert_max_num_queries
):
    busy("11")
    client.force_login(staff["supervisor"])
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse(PAGE)).status_code == 200
    for tag in ("12", "13", "14"):
        busy(tag)

    with django_assert_max_num_queries(len(first)):
        page = client.get(reverse(PAGE))

    text = page.content.decode()
    assert all(f"CALO {tag}" in text for tag in ("11", "12", "13", "14"))


def test_the_window_is_chosen_in_days(client, staff, busy, monkeypatch):
    busy("11")
    _now(monkeypatch, 2020, 3, 28, 20, 0)
    client.force_login(staff["supervisor"])

    assert "0812370011" not in client.get(reverse(PAGE)).content.decode()  # 30 days by default
    assert "0812370011" in client.get(reverse(PAGE), {"hari": "90"}).content.decode()
    assert "0812370011" not in client.get(reverse(PAGE), {"hari": "x"}).content.decode()


def test_a_registration_clerk_may_not_see_the_page(client, staff):
    client.force_login(staff["registration"])
    assert client.get(reverse(PAGE)).status_code == 403


def test_the_page_asks_a_visitor_to_log_in(client):
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_proxy_nik_is_masked_for_a_user_without_the_full_nik(client, make_user, staff, busy):
    busy("11")
    viewer = make_user(username="pengawas-internal")
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_broker_indicators", "view_handoverrefusal"])
    )
    client.force_login(viewer)
    nik = nik_for(11, year=80)

    page = client.get(reverse(PAGE)).content.decode()
    refusals = client.get(reverse("admin:registry_handoverrefusal_changelist")).content.decode()
    one = HandoverRefusal.objects.first()
    detail = client.get(reverse("admin:registry_handoverrefusal_change", args=[one.pk]))

    for text in (page, refusals, detail.content.decode()):
        assert mask_number(nik) in text
        assert nik not in text


def test_a_shared_phone_links_to_its_applications(client, staff, apply, family):
    ndolu = family("ndolu")[0]
    apply(ndolu, phone="081237001122")
    apply(family("lay")[0], phone="081237001122")
    apply(family("benu")[0], phone="081237009999")
    client.force_login(staff["supervisor"])

    page = client.get(reverse(PAGE)).content.decode()
    link = reverse("admin:registry_cardapplication_changelist") + "?phone=081237001122"
    assert link in page
    listed = client.get(link).content.decode()

    assert ndolu.full_name in listed and "LAY ANGGOTA" in listed
    assert "BENU ANGGOTA" not in listed


def test_a_refused_proxy_links_to_their_refusals_without_the_nik_in_the_address(
    client, staff, printed
):
    ndolu, lay = printed("ndolu", "lay")
    _proxy_tries(ndolu, staff["handover"], name="PAULUS MANU", nik=BROKER_NIK)
    _proxy_tries(lay, staff["handover"], name="PAULUS MANU", nik=BROKER_NIK)
    _proxy_tries(lay, staff["handover"], name="MARIA LAY", nik=nik_for(901))
    [broker, _] = refused_proxies()
    client.force_login(staff["supervisor"])

    link = reverse("admin:registry_handoverrefusal_changelist") + (
        f"?pengambil={broker.first_refusal}"
    )
    assert link in client.get(reverse(PAGE)).content.decode()
    listed = client.get(link).content.decode()

    assert listed.count("PAULUS MANU") == 2
    assert "MARIA LAY" not in listed


def test_refusals_are_evidence_nobody_changes(client, staff, printed):
    [ndolu] = printed("ndolu")
    _proxy_tries(ndolu, staff["handover"], name="PAULUS MANU", nik=BROKER_NIK)
    refusal = HandoverRefusal.objects.get()
    client.force_login(staff["supervisor"])

    assert client.get(reverse("admin:registry_handoverrefusal_add")).status_code == 403
    delete = reverse("admin:registry_handoverrefusal_delete", args=[refusal.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:registry_handoverrefusal_change", args=[refusal.pk])
    client.post(change, {"proxy_name": "ORANG LAIN"})

    refusal.refresh_from_db()
    assert refusal.proxy_name == "PAULUS MANU"
