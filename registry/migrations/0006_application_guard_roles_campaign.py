import datetime as dt

from django.db import migrations

from dukcapil.roles import roles_sync

# The event log is append-only even from a database shell: PostgreSQL refuses UPDATE and
# DELETE of its rows.
GUARD = """
CREATE FUNCTION registry_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'registry_applicationevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER registry_event_append_only
    BEFORE UPDATE OR DELETE ON registry_applicationevent
    FOR EACH ROW EXECUTE FUNCTION registry_event_append_only();
"""
UNGUARD = """
DROP TRIGGER IF EXISTS registry_event_append_only ON registry_applicationevent;
DROP FUNCTION IF EXISTS registry_event_append_only();
"""


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD, params=None)


def campaign_create(apps, schema_editor):
    """The mayor's drive: 40,000 residents recorded and carded in three months."""
    Campaign = apps.get_model("registry", "Campaign")
    Campaign.objects.get_or_create(
        name="Percepatan perekaman dan pencetakan KTP-el Kota Kupang",
        defaults={"target": 40_000, "start": dt.date(2020, 1, 27), "end": dt.date(2020, 4, 27)},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_applications"),
        ("stock", "0002_ledger_guard_and_roles"),
        ("shifts", "0002_reference_and_roles"),
    ]
    operations = [
        migrations.RunPython(guard, unguard),
        migrations.RunPython(roles_sync, migrations.RunPython.noop),
        migrations.RunPython(campaign_create, migrations.RunPython.noop),
    ]
