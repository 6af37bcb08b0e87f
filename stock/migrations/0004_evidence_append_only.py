from django.db import migrations

from dukcapil.append_only import append_only_guard


class Migration(migrations.Migration):
    dependencies = [
        ("stock", "0003_spoil_permissions"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="destruction",
            options={
                "base_manager_name": "objects",
                "ordering": ["-destroyed_on", "-pk"],
                "permissions": [
                    ("approve_destruction", "Dapat menyetujui berita acara pemusnahan")
                ],
                "verbose_name": "berita acara pemusnahan",
                "verbose_name_plural": "berita acara pemusnahan",
            },
        ),
        # The signature is added once, after the record is written; nothing else ever changes.
        append_only_guard("stock_destruction", fill_once=["approved_by_id", "approved_at"]),
    ]
