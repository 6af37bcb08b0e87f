from django.db import migrations

from dukcapil.append_only import append_only_guard


class Migration(migrations.Migration):
    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("dukcapil", "0001_audit_log"),
    ]

    operations = [
        append_only_guard("django_admin_log"),
    ]
