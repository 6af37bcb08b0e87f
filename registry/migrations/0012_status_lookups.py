from django.db import migrations, models

from dukcapil.append_only import append_only_guard


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0011_queue_tickets"),
    ]

    operations = [
        migrations.CreateModel(
            name="StatusLookup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(verbose_name="waktu")),
                (
                    "address",
                    models.GenericIPAddressField(blank=True, null=True, verbose_name="alamat IP"),
                ),
                ("nik_hash", models.CharField(max_length=64, verbose_name="NIK (hash berkunci)")),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("none", "Belum ada permohonan / data tidak cocok"),
                            ("processing", "Sedang diproses"),
                            ("ready", "Siap diambil"),
                            ("issued", "Sudah diserahkan"),
                            ("address_limit", "Ditolak: batas per alamat IP"),
                            ("nik_limit", "Ditolak: batas per NIK"),
                        ],
                        max_length=15,
                        verbose_name="jawaban",
                    ),
                ),
            ],
            options={
                "verbose_name": "log cek status KTP-el",
                "verbose_name_plural": "log cek status KTP-el",
                "ordering": ["-at", "-id"],
                "abstract": False,
                "base_manager_name": "objects",
                "indexes": [
                    models.Index(fields=["at", "id"], name="lookup_at_id_idx"),
                    models.Index(fields=["nik_hash", "at"], name="lookup_nik_at_idx"),
                    models.Index(fields=["address", "at"], name="lookup_address_at_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "outcome__in",
                                [
                                    "none",
                                    "processing",
                                    "ready",
                                    "issued",
                                    "address_limit",
                                    "nik_limit",
                                ],
                            )
                        ),
                        name="lookup_outcome_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("nik_hash__regex", "^[0-9a-f]{64}$")),
                        name="lookup_nik_hash_hex",
                    ),
                ],
            },
        ),
        append_only_guard("registry_statuslookup"),
    ]
