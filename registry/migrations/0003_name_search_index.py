from django.db import migrations

# Name search ("contains", case-insensitive) at a million residents needs a trigram index.
# Django's icontains on PostgreSQL compares UPPER(full_name::text), so the index is built on
# exactly that expression. SQLite has no trigram index; there the search scans.
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS resident_name_trgm_idx ON registry_resident "
    "USING gin ((UPPER(full_name::text)) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS resident_name_trgm_idx"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_regions")]
    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
