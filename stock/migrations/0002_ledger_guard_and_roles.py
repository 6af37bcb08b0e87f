from django.db import migrations

from dukcapil.append_only import append_only_guard


class Migration(migrations.Migration):
    dependencies = [
        ("stock", "0001_initial"),
    ]
    operations = [
        append_only_guard("stock_movement"),
    ]
