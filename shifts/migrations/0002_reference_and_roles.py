from django.db import migrations

from shifts.reference import reference_load


class Migration(migrations.Migration):
    dependencies = [
        ("shifts", "0001_initial"),
    ]
    operations = [
        migrations.RunPython(reference_load, migrations.RunPython.noop),
    ]
