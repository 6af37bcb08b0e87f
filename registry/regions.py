"""Kota Kupang's kecamatan and kelurahan (Kemendagri codes), loaded from the bundled CSV."""

import csv
from pathlib import Path

WILAYAH_CSV = Path(__file__).resolve().parent / "data" / "kupang_wilayah.csv"


def regions_load(apps, schema_editor=None) -> None:
    """Create or refresh the 6 kecamatan and 51 kelurahan; safe to run again."""
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
