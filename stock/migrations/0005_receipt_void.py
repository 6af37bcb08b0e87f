import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stock", "0004_evidence_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="receipt",
            options={
                "ordering": ["-received_on", "-pk"],
                "permissions": [
                    ("void_receipt", "Dapat membatalkan penerimaan blanko yang salah catat")
                ],
                "verbose_name": "penerimaan blanko",
                "verbose_name_plural": "penerimaan blanko",
            },
        ),
        migrations.RemoveConstraint(
            model_name="blank",
            name="blank_status_valid",
        ),
        migrations.RemoveConstraint(
            model_name="movement",
            name="movement_kind_consistent",
        ),
        migrations.AddField(
            model_name="receipt",
            name="void_reason",
            field=models.TextField(blank=True, verbose_name="alasan pembatalan"),
        ),
        migrations.AddField(
            model_name="receipt",
            name="voided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="dibatalkan"),
        ),
        migrations.AddField(
            model_name="receipt",
            name="voided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="dibatalkan oleh",
            ),
        ),
        migrations.AlterField(
            model_name="blank",
            name="serial",
            field=models.CharField(db_index=True, max_length=32, verbose_name="nomor seri"),
        ),
        migrations.AlterField(
            model_name="blank",
            name="status",
            field=models.CharField(
                choices=[
                    ("in_stock", "Tersedia"),
                    ("used", "Terpakai"),
                    ("spoiled", "Rusak"),
                    ("destroyed", "Dimusnahkan"),
                    ("lost", "Hilang"),
                    ("voided", "Dibatalkan"),
                ],
                default="in_stock",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="movement",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("in_stock", "Tersedia"),
                    ("used", "Terpakai"),
                    ("spoiled", "Rusak"),
                    ("destroyed", "Dimusnahkan"),
                    ("lost", "Hilang"),
                    ("voided", "Dibatalkan"),
                ],
                max_length=10,
                verbose_name="dari status",
            ),
        ),
        migrations.AlterField(
            model_name="movement",
            name="kind",
            field=models.CharField(
                choices=[
                    ("receive", "Terima"),
                    ("transfer", "Pindah"),
                    ("use", "Pakai (cetak)"),
                    ("spoil", "Rusak"),
                    ("destroy", "Musnah"),
                    ("adjust", "Koreksi"),
                    ("void", "Batal terima"),
                ],
                max_length=10,
                verbose_name="jenis",
            ),
        ),
        migrations.AlterField(
            model_name="movement",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("in_stock", "Tersedia"),
                    ("used", "Terpakai"),
                    ("spoiled", "Rusak"),
                    ("destroyed", "Dimusnahkan"),
                    ("lost", "Hilang"),
                    ("voided", "Dibatalkan"),
                ],
                max_length=10,
                verbose_name="ke status",
            ),
        ),
        migrations.AddConstraint(
            model_name="blank",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "voided"), _negated=True),
                fields=("serial",),
                name="blank_serial_unique_unless_voided",
            ),
        ),
        migrations.AddConstraint(
            model_name="blank",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["in_stock", "used", "spoiled", "destroyed", "lost", "voided"])
                ),
                name="blank_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="movement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("from_location__isnull", True),
                        ("from_status", ""),
                        ("kind", "receive"),
                        ("to_status", "in_stock"),
                    ),
                    models.Q(
                        ("from_status", "in_stock"),
                        ("kind", "transfer"),
                        ("to_status", "in_stock"),
                        models.Q(("from_location", models.F("to_location")), _negated=True),
                    ),
                    models.Q(
                        ("from_location", models.F("to_location")),
                        ("from_status", "in_stock"),
                        ("kind", "use"),
                        ("to_status", "used"),
                    ),
                    models.Q(
                        ("from_location", models.F("to_location")),
                        ("from_status", "in_stock"),
                        ("kind", "spoil"),
                        ("to_status", "spoiled"),
                    ),
                    models.Q(
                        ("from_location", models.F("to_location")),
                        ("from_status", "spoiled"),
                        ("kind", "destroy"),
                        ("to_status", "destroyed"),
                    ),
                    models.Q(
                        ("from_location__isnull", False),
                        ("kind", "adjust"),
                        models.Q(("note", ""), _negated=True),
                        models.Q(("from_status", ""), _negated=True),
                    ),
                    models.Q(
                        ("from_location", models.F("to_location")),
                        ("from_status", "in_stock"),
                        ("kind", "void"),
                        ("to_status", "voided"),
                        models.Q(("note", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="movement_kind_consistent",
            ),
        ),
        migrations.AddConstraint(
            model_name="receipt",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("void_reason", ""),
                        ("voided_at__isnull", True),
                        ("voided_by__isnull", True),
                    ),
                    models.Q(
                        ("voided_at__isnull", False),
                        ("voided_by__isnull", False),
                        models.Q(("void_reason", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="receipt_void_complete",
            ),
        ),
    ]
