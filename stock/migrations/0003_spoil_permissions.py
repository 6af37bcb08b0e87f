from django.db import migrations

from dukcapil.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [("stock", "0002_ledger_guard_and_roles")]
    operations = [
        migrations.AlterModelOptions(
            name="blank",
            options={
                "ordering": ["serial"],
                "permissions": [
                    ("transfer_blank", "Dapat memindahkan blanko antarlokasi"),
                    ("spoil_blank", "Dapat mencatat blanko rusak"),
                    (
                        "spoil_stored_blank",
                        "Dapat mencatat blanko rusak di gudang (bukan mesin cetak)",
                    ),
                    ("adjust_stock", "Dapat mengoreksi stok blanko"),
                ],
                "verbose_name": "blanko",
                "verbose_name_plural": "blanko",
            },
        ),
        migrations.RunPython(roles_sync, migrations.RunPython.noop),
    ]
