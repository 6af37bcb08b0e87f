from django.db import migrations

from dukcapil.roles import roles_sync
from shifts.reference import reference_load


class Migration(migrations.Migration):
    dependencies = [
        ("shifts", "0001_initial"),
        ("registry", "0004_roles"),
    ]
    operations = [
        migrations.RunPython(reference_load, migrations.RunPython.noop),
        migrations.RunPython(roles_sync, migrations.RunPython.noop),
    ]
