import django.db.models.deletion
from django.db import migrations, models

from dukcapil.append_only import append_only_guard


class Migration(migrations.Migration):
    dependencies = [
        ("shifts", "0002_reference_and_roles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="amendment",
            options={
                "base_manager_name": "objects",
                "ordering": ["-at"],
                "verbose_name": "perubahan jadwal terbit",
                "verbose_name_plural": "perubahan jadwal terbit",
            },
        ),
        migrations.AlterField(
            model_name="amendment",
            name="roster",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="amendments",
                to="shifts.roster",
                verbose_name="jadwal",
            ),
        ),
        append_only_guard("shifts_amendment"),
    ]
