"""The staff roles (Django groups) and what each may do.

Groups are (re)synchronised by data migrations: each app that adds permissions adds a
migration calling ``roles_sync`` after its models exist, so a role never lags behind the code.
"""

from django.contrib.auth.management import create_permissions

from shifts.roles import PERMISSIONS as SHIFTS_PERMISSIONS
from stock.roles import PERMISSIONS as STOCK_PERMISSIONS

REGISTRATION = "Petugas Pendaftaran"
RECORDING = "Operator Perekaman"
PRINTING = "Operator Cetak"
HANDOVER = "Petugas Penyerahan"
BLANKS = "Pengelola Blanko"
SUPERVISOR = "Kepala Seksi"
ADMINISTRATOR = "Administrator"

_REGIONS_VIEW = ["registry.view_district", "registry.view_village"]
_RESIDENT_VIEW = ["registry.view_resident", *_REGIONS_VIEW]
_APPLICATION_VIEW = [
    "registry.view_cardapplication",
    "registry.view_applicationevent",
    "registry.view_documentcheck",
    "registry.view_suket",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    REGISTRATION: [
        *_RESIDENT_VIEW,
        "registry.add_resident",
        "registry.change_resident",
        "registry.view_full_nik",
        *_APPLICATION_VIEW,
        "registry.add_cardapplication",
        "registry.verify_documents",
        "registry.issue_suket",
    ],
    RECORDING: [
        *_RESIDENT_VIEW,
        "registry.view_full_nik",
        *_APPLICATION_VIEW,
        "registry.record_biometrics",
    ],
    PRINTING: [*_RESIDENT_VIEW, *_APPLICATION_VIEW, "registry.print_card"],
    # Finds the card by the NIK the resident brings; sees it masked like any public list.
    HANDOVER: [
        *_RESIDENT_VIEW,
        *_APPLICATION_VIEW,
        "registry.hand_over_card",
        "registry.view_collectionqueueentry",
    ],
    BLANKS: _REGIONS_VIEW,
    SUPERVISOR: [
        *_RESIDENT_VIEW,
        *_APPLICATION_VIEW,
        "registry.cancel_application",
        "registry.view_collectionqueueentry",
        "registry.view_broker_indicators",
        "registry.view_handoverrefusal",
        "registry.view_campaign",
        "registry.change_campaign",
        "registry.view_full_nik",
        "registry.import_resident",
        "registry.export_resident",
        "registry.view_historicalresident",
        "dukcapil.view_auditentry",
    ],
    ADMINISTRATOR: [
        *_RESIDENT_VIEW,
        "registry.add_resident",
        "registry.change_resident",
        "registry.view_full_nik",
        "registry.import_resident",
        "registry.export_resident",
        "registry.view_historicalresident",
        "registry.add_district",
        "registry.change_district",
        "registry.add_village",
        "registry.change_village",
        "registry.view_campaign",
        "registry.add_campaign",
        "registry.change_campaign",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
    ],
}


for _app_permissions in (STOCK_PERMISSIONS, SHIFTS_PERMISSIONS):
    for _role, _codes in _app_permissions.items():
        ROLE_PERMISSIONS[_role] = [*ROLE_PERMISSIONS[_role], *_codes]


def roles_sync(apps, schema_editor=None) -> None:
    """Create the groups and set their permissions; safe to run any number of times.

    Usable from a migration: permissions are created first, because Django only creates them
    after the whole ``migrate`` has finished.
    """
    for app_config in apps.get_app_configs():
        # create_permissions skips apps without a models module, which migration states lack.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    known = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        # Permissions of apps not migrated yet join in that app's own roles_sync migration.
        group.permissions.set([known[code] for code in codes if code in known])
