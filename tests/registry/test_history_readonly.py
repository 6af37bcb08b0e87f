"""History pages show past versions and never save one: the revert form was a way around the
change permission and the services."""

import pytest
from django.urls import reverse

from dukcapil import roles
from dukcapil.models import AuditAction, AuditEntry
from tests.registry.factories import make_resident, resident_form_data

pytestmark = pytest.mark.django_db


def _version_url(resident) -> str:
    version = resident.history.earliest()
    return reverse("admin:registry_resident_simple_history", args=[resident.pk, version.pk])


def _revert_form(resident) -> dict:
    """What an attacker posts: the past version with a new name, NIK, No. KK, birth date,
    life status and kelurahan."""
    return {
        **resident_form_data(resident),
        "nik": "5371014101950002",
        "kk_number": "5371012001150099",
        "full_name": "NAMA PALSU",
        "birth_date": "01/01/1995",
        "sex": "P",
        "life_status": "meninggal",
        "_save": "Kembalikan",
    }


@pytest.mark.parametrize(
    "role",
    [
        roles.REGISTRATION,
        roles.RECORDING,
        roles.PRINTING,
        roles.HANDOVER,
        roles.SUPERVISOR,
        roles.ADMINISTRATOR,
    ],
)
def test_it_refuses_a_revert_posted_by_any_role_and_changes_nothing(client, make_user, role):
    resident = make_resident()
    before = (resident.nik, resident.kk_number, resident.full_name, resident.life_status)
    client.force_login(make_user(role))

    response = client.post(_version_url(resident), _revert_form(resident))

    assert response.status_code == 403
    resident.refresh_from_db()
    assert (resident.nik, resident.kk_number, resident.full_name, resident.life_status) == before


def test_it_refuses_a_revert_even_from_a_superuser(client, django_user_model):
    resident = make_resident()
    root = django_user_model.objects.create_superuser("root", password="rahasia-uji-123")
    client.force_login(root)

    assert client.post(_version_url(resident), _revert_form(resident)).status_code == 403
    resident.refresh_from_db()
    assert resident.full_name == "YOHANES NDOLU"


def test_it_shows_a_past_version_without_a_revert_button(client, make_user):
    resident = make_resident()
    client.force_login(make_user(roles.SUPERVISOR))

    response = client.get(_version_url(resident))

    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


def test_it_keeps_past_versions_from_roles_that_see_masked_numbers(client, make_user):
    resident = make_resident()
    client.force_login(make_user(roles.PRINTING))

    assert client.get(_version_url(resident)).status_code == 403


def test_it_records_that_a_supervisor_looked_at_the_history(client, make_user):
    resident = make_resident()
    supervisor = make_user(roles.SUPERVISOR)
    client.force_login(supervisor)

    client.get(reverse("admin:registry_resident_history", args=[resident.pk]))

    entry = AuditEntry.objects.get(actor=supervisor, action=AuditAction.VIEW_FULL_NIK)
    assert entry.object_id == str(resident.pk)
