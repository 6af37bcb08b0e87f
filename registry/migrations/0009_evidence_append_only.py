from django.db import migrations

from dukcapil.append_only import append_only_guard


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_application_blank_kept_when_cancelled_or_loaded"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="handoverrefusal",
            options={
                "base_manager_name": "objects",
                "ordering": ["-at"],
                "verbose_name": "penolakan pengambilan",
                "verbose_name_plural": "penolakan pengambilan",
            },
        ),
        append_only_guard("registry_handoverrefusal"),
        append_only_guard("registry_historicalresident"),
    ]
