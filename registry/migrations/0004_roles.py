from django.db import migrations

from dukcapil.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_name_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
