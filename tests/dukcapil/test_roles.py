"""The seven groups get, from ``migrate`` alone, exactly what the apps declare."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from dukcapil.roles import ROLES, SUPERVISOR, role_permissions

pytestmark = pytest.mark.django_db


def _granted(group: Group) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_it_gives_each_group_exactly_the_declared_permissions():
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(ROLES)
    for group in Group.objects.all():
        assert _granted(group) == set(role_permissions()[group.name]), group.name


@pytest.mark.parametrize("app", ["registry", "stock", "shifts"])
def test_it_takes_each_apps_own_declaration(app):
    declared = importlib.import_module(f"{app}.roles").PERMISSIONS
    for role, codes in declared.items():
        assert set(codes) <= set(role_permissions()[role]), role


@pytest.mark.parametrize("app", ["dukcapil", "registry", "stock", "shifts"])
def test_each_app_declares_only_its_own_permissions(app):
    # The base keeps the staff accounts, which are django.contrib.auth's models.
    own = {app, "auth"} if app == "dukcapil" else {app}
    declared = importlib.import_module(f"{app}.roles").PERMISSIONS
    assert {code.split(".")[0] for codes in declared.values() for code in codes} <= own


def test_migrate_puts_back_a_groups_lost_permissions():
    supervisor = Group.objects.get(name=SUPERVISOR)
    supervisor.permissions.clear()
    Group.objects.filter(name__in=ROLES[:2]).delete()

    call_command("migrate", verbosity=0)

    assert Group.objects.filter(name__in=ROLES).count() == len(ROLES)
    assert _granted(supervisor) == set(role_permissions()[SUPERVISOR])
