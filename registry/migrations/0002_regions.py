import csv
from pathlib import Path

from django.db import migrations

WILAYAH_CSV = Path(__file__).resolve().parent.parent / "data" / "kupang_wilayah.csv"


def load_regions(apps, schema_editor):
    District = apps.get_model("registry", "District")
    Village = apps.get_model("registry", "Village")
    with WILAYAH_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    districts = {}
    for row in rows:
        if row["level"] == "kecamatan":
            districts[row["kode"]], _ = District.objects.update_or_create(
                code=row["kode"], defaults={"name": row["nama"]}
            )
    for row in rows:
        if row["level"] == "kelurahan":
            Village.objects.update_or_create(
                code=row["kode"],
                defaults={"name": row["nama"], "district": districts[row["kode"][:8]]},
            )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
