import os

import pytest
from django.conf import settings
from django.db import connection

ON_CI = os.environ.get("CI", "").lower() == "true"


def pytest_report_header(config):
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if vendor != "postgresql":
        return (
            f"database: {vendor} — PostgreSQL-only tests are SKIPPED; "
            "set DATABASE_URL=postgres://… to run them"
        )
    return "database: postgresql"


def pytest_configure(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    if ON_CI and not engine.endswith("postgresql"):
        raise pytest.UsageError("CI=true but DATABASE_URL does not point to PostgreSQL")


def pytest_collection_modifyitems(config, items):
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"
