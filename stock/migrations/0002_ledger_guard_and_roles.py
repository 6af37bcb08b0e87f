from django.db import migrations

from dukcapil.append_only import append_only_guard
from dukcapil.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [
        ("stock", "0001_initial"),
        ("registry", "0004_roles"),
    ]
    operations = [
        append_only_guard("stock_movement"),
        migrations.RunPython(roles_sync, migrations.RunPython.noop),
    ]
