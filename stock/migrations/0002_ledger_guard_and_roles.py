from django.db import migrations

from dukcapil.roles import roles_sync

# The ledger is append-only even for someone with a database shell and the application's
# credentials: PostgreSQL refuses UPDATE and DELETE of its rows (TRUNCATE, used only to empty
# a test or benchmark database, is not a row operation and stays possible).
GUARD = """
CREATE FUNCTION stock_movement_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stock_movement is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER stock_movement_append_only
    BEFORE UPDATE OR DELETE ON stock_movement
    FOR EACH ROW EXECUTE FUNCTION stock_movement_append_only();
"""
UNGUARD = """
DROP TRIGGER IF EXISTS stock_movement_append_only ON stock_movement;
DROP FUNCTION IF EXISTS stock_movement_append_only();
"""


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("stock", "0001_initial"),
        ("registry", "0004_roles"),
    ]
    operations = [
        migrations.RunPython(guard, unguard),
        migrations.RunPython(roles_sync, migrations.RunPython.noop),
    ]
