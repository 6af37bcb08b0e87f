"""Shared start-up for the benchmark scripts: Django on PostgreSQL, migrated."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_on_postgres() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dukcapil.settings")
    import django
    from django.conf import settings

    django.setup()
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        sys.exit("Benchmarks run on PostgreSQL: set DATABASE_URL=postgres://root@127.0.0.1/…")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
