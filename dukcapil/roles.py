"""The staff roles (Django groups) and what each may do.

The seven group names are the project's vocabulary and live here. What each role may do is
declared by the app that owns the permission, in ``<app>/roles.py`` as ``PERMISSIONS``
({group name: [codes]}); the table is assembled over the installed apps, so this base imports
no app. ``roles_sync`` runs after every ``migrate`` (connected in ``dukcapil.apps``), so a role
never lags behind the code.
"""

import importlib
import importlib.util
from collections.abc import Iterator, Mapping
from functools import cache

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS

REGISTRATION = "Petugas Pendaftaran"
RECORDING = "Operator Perekaman"
PRINTING = "Operator Cetak"
HANDOVER = "Petugas Penyerahan"
BLANKS = "Pengelola Blanko"
SUPERVISOR = "Kepala Seksi"
ADMINISTRATOR = "Administrator"

ROLES = (REGISTRATION, RECORDING, PRINTING, HANDOVER, BLANKS, SUPERVISOR, ADMINISTRATOR)

# The audit log, the outbox and the staff accounts are the base's own.
PERMISSIONS: dict[str, list[str]] = {
    SUPERVISOR: [
        "dukcapil.view_auditentry",
        "dukcapil.view_outboxmessage",
        "dukcapil.view_deliveryattempt",
        "dukcapil.resend_outboxmessage",
    ],
    ADMINISTRATOR: ["auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group"],
}


@cache
def role_permissions() -> dict[str, list[str]]:
    """Every role with the permission codes the installed apps grant it, in app order."""
    table: dict[str, list[str]] = {role: [] for role in ROLES}
    for app_config in global_apps.get_app_configs():
        name = f"{app_config.name}.roles"
        if importlib.util.find_spec(name) is None:
            continue
        declared = getattr(importlib.import_module(name), "PERMISSIONS", {})
        for role, codes in declared.items():
            if role not in table:
                raise ImproperlyConfigured(f"{name} grants permissions to unknown role {role!r}")
            table[role].extend(codes)
    return table


class _DeclaredRoles(Mapping):
    """``role_permissions()`` read as a constant; assembled on first use, once apps are loaded."""

    def __getitem__(self, role: str) -> list[str]:
        return role_permissions()[role]

    def __iter__(self) -> Iterator[str]:
        return iter(role_permissions())

    def __len__(self) -> int:
        return len(role_permissions())


ROLE_PERMISSIONS: Mapping[str, list[str]] = _DeclaredRoles()


def roles_sync(apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the groups and set their permissions; safe to run any number of times.

    Permissions are created first: ``post_migrate`` reaches the apps one by one, and the apps
    after this one have not had theirs created yet.
    """
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # ``migrate contenttypes`` alone, on an empty database
        return
    known = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    for name, codes in role_permissions().items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        # A partial migrate (``migrate registry 0003``) lacks later models and their permissions.
        group.permissions.set([known[code] for code in codes if code in known])


def roles_sync_after_migrate(sender, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    roles_sync(apps, using=using)
