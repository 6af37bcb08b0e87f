import datetime as dt

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError

from dukcapil.roles import ROLE_PERMISSIONS, roles_sync
from registry.models import Resident, adult_birth_date_cutoff
from registry.services.residents import resident_save
from tests.registry.factories import make_resident, nik_for

pytestmark = pytest.mark.django_db


def _eligible(resident, today) -> bool:
    return Resident.objects.with_eligibility(today).get(pk=resident.pk).is_eligible


def test_it_is_wajib_ktp_from_the_17th_birthday():
    minor = make_resident(
        birth_date=dt.date(2003, 1, 27), marital_status="BELUM_KAWIN", nik=nik_for(1, year=3)
    )
    assert not _eligible(minor, dt.date(2020, 1, 26))
    assert _eligible(minor, dt.date(2020, 1, 27))


def test_a_married_minor_is_wajib_ktp():
    married = make_resident(
        birth_date=dt.date(2004, 1, 27), marital_status="KAWIN", nik=nik_for(1, year=4)
    )
    assert _eligible(married, dt.date(2020, 1, 27))


def test_someone_born_on_29_february_turns_17_on_28_february():
    assert adult_birth_date_cutoff(dt.date(2021, 2, 28)) == dt.date(2004, 2, 28)
    assert adult_birth_date_cutoff(dt.date(2020, 2, 29)) == dt.date(2003, 2, 28)


def test_the_eligibility_filter_is_a_query_not_a_loop():
    make_resident(nik=nik_for(1))
    make_resident(
        nik=nik_for(2, year=15), birth_date=dt.date(2015, 1, 27), marital_status="BELUM_KAWIN"
    )
    eligible = Resident.objects.with_eligibility(dt.date(2020, 1, 27)).filter(is_eligible=True)
    assert list(eligible.values_list("nik", flat=True)) == [nik_for(1)]


def test_saving_flags_a_nik_that_disagrees_with_the_person(make_user):
    resident = make_resident()
    resident.birth_date = dt.date(1990, 1, 28)
    resident_save(resident=resident, actor=make_user("Petugas Pendaftaran"))
    assert Resident.objects.get().nik_review_note == "Tanggal lahir berbeda dengan NIK"


def test_saving_refuses_a_broken_nik_and_changes_nothing(make_user):
    resident = make_resident()
    resident.nik = "5371013102900001"
    with pytest.raises(ValidationError, match="tidak ada di kalender"):
        resident_save(resident=resident, actor=make_user("Petugas Pendaftaran"))
    assert Resident.objects.get().nik == "5371012701900001"


def test_saving_over_a_newer_change_is_refused(make_user):
    resident = make_resident()
    seen = resident.updated_at.isoformat()
    other = Resident.objects.get()
    other.address = "JL. AMABI"
    resident_save(resident=other, actor=make_user("Petugas Pendaftaran", "lain"))
    resident.address = "JL. NANGKA"
    with pytest.raises(ValidationError, match="petugas lain"):
        resident_save(
            resident=resident, actor=make_user("Petugas Pendaftaran"), loaded_version=seen
        )
    assert Resident.objects.get().address == "JL. AMABI"


def test_every_role_permission_exists_and_is_granted():
    for role, codes in ROLE_PERMISSIONS.items():
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=role).permissions.select_related("content_type")
        }
        assert granted == set(codes), role


def test_roles_can_be_synchronised_again_without_duplicates():
    before = Permission.objects.count()
    roles_sync(django_apps)
    assert Group.objects.count() == len(ROLE_PERMISSIONS)
    assert Permission.objects.count() == before
