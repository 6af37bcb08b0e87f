from django.db import migrations

# A range select_for_update locks nothing while no overlapping roster exists yet, so two
# overlapping rosters created at the same moment would both pass the service's check. GiST
# indexes range types natively: no btree_gist extension (and no superuser) is needed.
CREATE = """
ALTER TABLE shifts_roster ADD CONSTRAINT roster_no_overlap
    EXCLUDE USING gist (daterange(period_start, period_end, '[]') WITH &&);
"""
DROP = "ALTER TABLE shifts_roster DROP CONSTRAINT IF EXISTS roster_no_overlap;"


def run(sql: str):
    def operation(apps, schema_editor):
        # SQLite has no exclusion constraints; there the service's check is the rule.
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("shifts", "0003_evidence_append_only"),
    ]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
