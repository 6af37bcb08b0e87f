from django.db import migrations

from registry.regions import regions_load


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(regions_load, migrations.RunPython.noop)]
