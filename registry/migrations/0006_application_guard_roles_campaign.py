import datetime as dt

from django.db import migrations

from dukcapil.append_only import append_only_guard


def campaign_create(apps, schema_editor):
    """The mayor's drive: 40,000 residents recorded and carded in three months."""
    Campaign = apps.get_model("registry", "Campaign")
    Campaign.objects.get_or_create(
        name="Percepatan perekaman dan pencetakan KTP-el Kota Kupang",
        defaults={"target": 40_000, "start": dt.date(2020, 1, 27), "end": dt.date(2020, 4, 27)},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_applications"),
        ("stock", "0002_ledger_guard_and_roles"),
        ("shifts", "0002_reference_and_roles"),
    ]
    operations = [
        append_only_guard("registry_applicationevent"),
        migrations.RunPython(campaign_create, migrations.RunPython.noop),
    ]
