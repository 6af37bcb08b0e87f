from collections import defaultdict
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from dukcapil.roles import ROLE_PERMISSIONS
from registry.demo import AS_OF, generate_residents, seed_residents
from registry.management.commands.demo_users import secrets_file
from registry.models import (
    MaritalStatus,
    Resident,
    SiakRecordStatus,
    Village,
    adult_birth_date_cutoff,
)
from registry.nik import nik_review_notes, parse_nik, validate_kk_number
from registry.regions import regions_load


@pytest.fixture(scope="module")
def villages(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        regions_load(apps)  # a transactional test may have flushed them
        return list(Village.objects.all())


@pytest.fixture(scope="module")
def residents(villages):
    return list(generate_residents(20_000, villages=villages))


def test_it_generates_niks_that_agree_with_birth_date_and_sex(residents):
    for resident in residents:
        nik = parse_nik(resident.nik)
        assert nik_review_notes(nik, birth_date=resident.birth_date, sex=resident.sex) == []
        validate_kk_number(resident.kk_number)


def test_a_nik_first_registered_in_kupang_carries_the_kecamatan_of_home(residents):
    kupang = [r for r in residents if r.nik.startswith("5371")]
    assert 0.8 < len(kupang) / len(residents) < 0.95
    assert all(r.nik[4:6] == r.village.code[6:8] for r in kupang)


def test_niks_are_unique(residents):
    assert len({r.nik for r in residents}) == len(residents)


def test_the_same_seed_gives_the_same_residents(residents, villages):
    first = [(r.nik, r.full_name) for r in residents[:100]]
    again = [(r.nik, r.full_name) for r in generate_residents(100, villages=villages)]
    other = [(r.nik, r.full_name) for r in generate_residents(100, seed=1, villages=villages)]
    assert again == first
    assert other != first


def test_a_household_shares_its_kk_number_address_and_kelurahan(residents):
    households = defaultdict(list)
    for resident in residents:
        households[resident.kk_number].append(resident)
    assert 3 < len(residents) / len(households) < 5
    for kk_number, members in households.items():
        homes = {(m.address, m.rt, m.rw, m.village.pk) for m in members}
        assert len(homes) == 1
        assert kk_number[4:6] == members[0].village.code[6:8]


def test_the_age_mix_is_young_and_statuses_follow_age(residents):
    adult_born_by = adult_birth_date_cutoff(AS_OF)
    minors = [r for r in residents if r.birth_date > adult_born_by]
    adults = [r for r in residents if r.birth_date <= adult_born_by]
    assert 0.25 < len(minors) / len(residents) < 0.4
    assert any(r.birth_date.year < 1955 for r in adults)
    for minor in minors:
        assert minor.marital_status == MaritalStatus.SINGLE
        assert minor.siak_record_status == SiakRecordStatus.NOT_YET_OBLIGED
    assert SiakRecordStatus.NOT_YET_OBLIGED not in {r.siak_record_status for r in adults}
    assert {r.siak_record_status for r in adults} >= {
        SiakRecordStatus.NOT_RECORDED,
        SiakRecordStatus.RECORDED,
        SiakRecordStatus.CARD_ISSUED,
    }


@pytest.mark.django_db
def test_generated_residents_pass_the_models_validation(residents):
    for resident in residents[:100]:
        resident.full_clean(validate_unique=False, validate_constraints=False)


@pytest.mark.django_db
def test_seed_demo_once_seeds_an_empty_register_and_then_does_nothing():
    out = StringIO()
    call_command("seed_demo", "--once", "--residents", "300", verbosity=0, stdout=out)
    call_command("seed_demo", "--once", "--residents", "300", verbosity=0, stdout=out)
    assert Resident.objects.count() == 300
    assert Resident.history.filter(history_change_reason="Data demo").count() == 300
    assert "300 penduduk" in out.getvalue()
    assert "sudah ada" in out.getvalue()


@pytest.mark.django_db
def test_seeding_again_adds_new_people():
    assert seed_residents(count=200, batch_size=150) == 200
    assert seed_residents(count=200) == 200
    assert Resident.objects.values("nik").distinct().count() == 400


DEMO_PASSWORD = "kupang-demo-2020"


def _demo_users(*args) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Run demo_users and read its output: username → password, username → backup codes."""
    out = StringIO()
    with override_settings(DUKCAPIL_DEMO=True):
        call_command("demo_users", *args, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "Masuk di http://127.0.0.1:8000/admin/"
    table = lines[1 : len(ROLE_PERMISSIONS) + 1]
    passwords = dict(line.split()[-2:] for line in table)
    codes = {
        username: rest.split("kode cadangan ")[1].split()
        for username, rest in (
            line.strip().split(": ", 1) for line in lines[len(ROLE_PERMISSIONS) + 2 : -1]
        )
    }
    return passwords, codes


def _sign_in(client, username: str, password: str) -> bool:
    response = client.post(reverse("admin:login"), {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
def test_demo_users_gives_every_role_a_staff_member_who_can_log_in(client):
    passwords, _ = _demo_users("--password", DEMO_PASSWORD)
    assert set(passwords.values()) == {DEMO_PASSWORD}
    groups = Group.objects.filter(name__in=ROLE_PERMISSIONS)
    assert groups.count() == len(ROLE_PERMISSIONS) == len(passwords)
    for group in groups:
        (user,) = group.user_set.all()
        assert user.is_staff and not user.is_superuser
        assert _sign_in(client, user.username, DEMO_PASSWORD)
        client.logout()


@pytest.mark.django_db
def test_running_demo_users_again_keeps_passwords_and_keys_and_renews_backup_codes(client):
    first, first_codes = _demo_users()
    keys = dict(TOTPDevice.objects.values_list("user__username", "key"))
    second, second_codes = _demo_users()
    assert second == first
    for username, password in second.items():
        assert _sign_in(client, username, password)
        client.logout()
    assert dict(TOTPDevice.objects.values_list("user__username", "key")) == keys
    assert not set(first_codes["kasi"]) & set(second_codes["kasi"])
    assert secrets_file().stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
@override_settings(DUKCAPIL_DEMO=True)
def test_demo_users_prints_the_address_the_server_listens_on():
    out = StringIO()
    call_command("demo_users", "--host", "0.0.0.0:8080", stdout=out)
    assert out.getvalue().splitlines()[-1] == "Masuk di http://0.0.0.0:8080/admin/"


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # demo_users keeps its secrets there


@pytest.mark.django_db
@override_settings(DUKCAPIL_OTP_REQUIRED=True)
def test_the_supervisor_signs_in_with_a_printed_backup_code(client):
    passwords, codes = _demo_users()
    assert set(codes) == {"kasi", "admin"}
    assert TOTPDevice.objects.filter(user__username__in=codes, confirmed=True).count() == 2
    assert _sign_in(client, "kasi", passwords["kasi"])
    assert client.get(reverse("admin:index")).url.startswith(reverse("two_factor_verify"))
    client.post(reverse("two_factor_verify"), {"token": codes["kasi"][0]})
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
@override_settings(DEBUG=False, DUKCAPIL_DEMO=False)
def test_demo_users_refuses_to_run_outside_a_demo_installation():
    with pytest.raises(CommandError, match="DUKCAPIL_DEMO=1"):
        call_command("demo_users", "--password", DEMO_PASSWORD, stdout=StringIO())
    assert not get_user_model().objects.filter(username="kasi").exists()


@pytest.mark.django_db
@override_settings(DUKCAPIL_DEMO=True)
def test_demo_users_refuses_a_password_the_validators_refuse():
    with pytest.raises(CommandError, match="12 karakter"):
        call_command("demo_users", "--password", "kupang-2020", stdout=StringIO())
    assert not get_user_model().objects.filter(username="kasi").exists()
