"""A database guard for append-only tables (ledgers and event logs), used by migrations.

PostgreSQL refuses UPDATE and DELETE of their rows even from a database shell with the
application's credentials. TRUNCATE, used only to empty a test or benchmark database, is not
a row operation and stays possible. Other databases rely on the models' own refusal.
"""

from django.db import migrations

GUARD = """
CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
"""
UNGUARD = """
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP FUNCTION IF EXISTS {table}_append_only();
"""


def append_only_guard(table: str) -> migrations.RunPython:
    """The migration operation that installs (and on reverse removes) the guard."""

    def run(sql: str):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql.format(table=table), params=None)

        return operation

    return migrations.RunPython(run(GUARD), run(UNGUARD))
