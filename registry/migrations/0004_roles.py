from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_name_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    # It synced the groups; dukcapil.roles does that after every migrate now. Kept so the
    # databases that applied it and the migrations that depend on it stay consistent.
    operations = []
