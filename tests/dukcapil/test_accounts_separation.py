"""Separation of duties: the Administrator manages clerks' accounts and nothing more."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dukcapil.accounts import user_save
from dukcapil.models import AuditAction, AuditEntry
from dukcapil.roles import ADMINISTRATOR, PRINTING, REGISTRATION, SUPERVISOR

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-uji-123"
NEW_PASSWORD = "kupang-baru-2020-aman"


@pytest.fixture
def administrator(client, make_user):
    user = make_user(ADMINISTRATOR)
    client.force_login(user)
    return user


@pytest.fixture
def clerk(make_user):
    return make_user(PRINTING)


def _group(name: str) -> Group:
    return Group.objects.get(name=name)


def _change(client, user, **changes):
    """POST the account's change form: what it shows now, with ``changes`` on top."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "groups": [g.pk for g in user.groups.all()],
        **changes,
    }
    data = {key: value for key, value in data.items() if value != ""}
    return client.post(reverse("admin:auth_user_change", args=[user.pk]), data)


def _set_password(client, user):
    return client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )


def _state(user) -> tuple:
    user.refresh_from_db()
    groups = sorted(user.groups.values_list("name", flat=True))
    permissions = list(user.user_permissions.all())
    return (user.is_superuser, user.is_active, user.first_name, user.password, groups, permissions)


def test_it_refuses_the_administrator_making_itself_superuser(client, administrator):
    before = _state(administrator)
    response = _change(client, administrator, is_superuser="on")
    assert response.status_code == 403
    assert _state(administrator) == before


def test_it_refuses_the_administrator_giving_itself_kepala_seksi(client, administrator):
    before = _state(administrator)
    response = _change(
        client, administrator, groups=[_group(SUPERVISOR).pk, _group(ADMINISTRATOR).pk]
    )
    assert response.status_code == 403
    assert _state(administrator) == before


def test_it_refuses_the_administrator_granting_itself_permissions(client, administrator):
    before = _state(administrator)
    everything = list(Permission.objects.values_list("pk", flat=True))
    response = _change(client, administrator, user_permissions=everything)
    assert response.status_code == 403
    assert _state(administrator) == before


@pytest.mark.parametrize("role", [SUPERVISOR, ADMINISTRATOR])
def test_it_refuses_giving_a_clerk_a_protected_role(client, administrator, clerk, role):
    before = _state(clerk)
    response = _change(client, clerk, groups=[_group(PRINTING).pk, _group(role).pk])
    assert response.status_code == 200
    assert "bukan salah satu dari pilihan yang" in response.content.decode()
    assert _state(clerk) == before
    assert not AuditEntry.objects.filter(object_id=str(clerk.pk)).exists()


def test_superuser_status_and_permissions_posted_for_a_clerk_are_not_taken(
    client, administrator, clerk
):
    response = _change(
        client,
        clerk,
        is_superuser="on",
        user_permissions=list(Permission.objects.values_list("pk", flat=True)),
        first_name="Kristo",
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.first_name == "Kristo"
    assert not clerk.is_superuser
    assert not clerk.user_permissions.exists()


def test_the_administrator_sees_no_way_to_grant_superuser_or_protected_roles(
    client, administrator, clerk
):
    page = client.get(reverse("admin:auth_user_change", args=[clerk.pk])).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page
    assert f'value="{_group(REGISTRATION).pk}"' in page
    for role in (SUPERVISOR, ADMINISTRATOR):
        assert f'value="{_group(role).pk}"' not in page


@pytest.fixture
def protected_accounts(make_user, django_user_model):
    return {
        "kepala seksi": make_user(SUPERVISOR),
        "another administrator": make_user(ADMINISTRATOR, username="admin-lain"),
        "superuser": django_user_model.objects.create_superuser("root", password=PASSWORD),
    }


@pytest.mark.parametrize("target", ["kepala seksi", "another administrator", "superuser"])
def test_it_refuses_resetting_a_protected_password(
    client, administrator, protected_accounts, target
):
    account = protected_accounts[target]
    before = _state(account)
    assert _set_password(client, account).status_code == 403
    assert _state(account) == before
    assert account.check_password(PASSWORD)


def test_it_refuses_the_administrator_resetting_its_own_password_there(client, administrator):
    before = _state(administrator)
    assert _set_password(client, administrator).status_code == 403
    assert _state(administrator) == before


@pytest.mark.parametrize("target", ["kepala seksi", "another administrator", "superuser"])
def test_it_refuses_deactivating_or_editing_a_protected_account(
    client, administrator, protected_accounts, target
):
    account = protected_accounts[target]
    before = _state(account)
    response = _change(client, account, is_active="", first_name="Diambil alih")
    assert response.status_code == 403
    assert _state(account) == before


def test_the_add_form_makes_a_plain_account(client, administrator):
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "loket-baru",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [_group(SUPERVISOR).pk],
        },
    )
    assert response.status_code == 302
    created = administrator.__class__.objects.get(username="loket-baru")
    assert not created.is_superuser
    assert not created.groups.exists()
    entry = AuditEntry.objects.get(action=AuditAction.USER_CHANGE, object_id=str(created.pk))
    assert entry.actor == administrator
    assert entry.detail["created"] is True
    assert "password" in entry.detail["fields"]
    assert created.password not in str(entry.detail)


def test_a_short_or_numeric_password_is_refused(client, administrator, clerk):
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])
    refusals = {
        "kupang-2020": "setidaknya 12 karakter",
        "123456789012345": "seluruhnya terdiri dari angka",
        "password12345": "terlalu umum",
    }
    for weak, reason in refusals.items():
        response = client.post(url, {"password1": weak, "password2": weak})
        assert response.status_code == 200
        assert reason in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(object_id=str(clerk.pk)).exists()


def test_the_administrator_manages_a_clerk_and_every_change_is_recorded(
    client, administrator, clerk
):
    response = _change(
        client, clerk, first_name="Kristo", is_active="", groups=[_group(REGISTRATION).pk]
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert (clerk.first_name, clerk.is_active) == ("Kristo", False)
    assert list(clerk.groups.values_list("name", flat=True)) == [REGISTRATION]

    assert _set_password(client, clerk).status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(NEW_PASSWORD)

    entries = AuditEntry.objects.filter(object_id=str(clerk.pk), actor=administrator)
    edit, groups, password = entries.order_by("pk")
    assert (edit.action, edit.detail) == (
        AuditAction.USER_CHANGE,
        {"created": False, "fields": ["first_name", "is_active"], "active": False},
    )
    assert (groups.action, groups.detail) == (
        AuditAction.GROUP_CHANGE,
        {"added": [REGISTRATION], "removed": [PRINTING]},
    )
    assert (password.action, password.detail) == (
        AuditAction.USER_CHANGE,
        {"fields": ["password"], "usable": True},
    )
    assert clerk.password not in str(password.detail)


def test_the_service_refuses_a_protected_role_without_the_form(administrator, clerk):
    with pytest.raises(PermissionDenied):
        user_save(actor=administrator, user=clerk, groups=[_group(SUPERVISOR)])
    assert not clerk.groups.filter(name=SUPERVISOR).exists()


def test_roles_are_read_only_for_the_administrator(client, administrator):
    group = _group(PRINTING)
    before = set(group.permissions.values_list("pk", flat=True))
    page = client.get(reverse("admin:auth_group_change", args=[group.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    everything = list(Permission.objects.values_list("pk", flat=True))
    change = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": everything},
    )
    assert change.status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before
    add = client.post(reverse("admin:auth_group_add"), {"name": "Semua", "permissions": everything})
    assert add.status_code == 403
    assert not Group.objects.filter(name="Semua").exists()


def test_a_superuser_changes_a_role_and_it_is_recorded(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    group = _group(PRINTING)
    extra = Permission.objects.get(codename="view_auditentry")
    permissions = [*group.permissions.values_list("pk", flat=True), extra.pk]
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": permissions},
    )
    assert response.status_code == 302
    assert group.permissions.filter(pk=extra.pk).exists()
    entry = AuditEntry.objects.get(action=AuditAction.GROUP_CHANGE, object_id=str(group.pk))
    assert entry.detail == {"created": False, "fields": ["permissions"]}


def test_not_even_a_superuser_grants_superuser_through_the_web(client, django_user_model, clerk):
    client.force_login(django_user_model.objects.create_superuser("root", password=PASSWORD))
    page = client.get(reverse("admin:auth_user_change", args=[clerk.pk])).content.decode()
    assert 'name="is_superuser"' not in page
    assert _change(client, clerk, is_superuser="on").status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_superuser
