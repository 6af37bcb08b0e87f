from django.db import migrations


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
    ]
