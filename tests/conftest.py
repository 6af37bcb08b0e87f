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
    # Tests serve static files from the apps; no collectstatic manifest is needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    # Tests sign in with force_login; tests/dukcapil/test_accounts_two_factor.py turns it on.
    settings.DUKCAPIL_OTP_REQUIRED = False
    # Query-count tests measure the page, not the per-request refresh of the session's expiry
    # (one UPDATE, three queries in a test's transaction); test_accounts_sign_in.py turns it on.
    settings.SESSION_SAVE_EVERY_REQUEST = False
    # Live-server request threads must not keep connections open past the test database.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A small budget for the roster solver: tests assert the rules, which hold in whatever the
    # search has found when time runs out (the greedy start at worst), never the optimum.
    settings.SHIFTS_SOLVER_SECONDS = 3
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


@pytest.fixture
def make_user(db, django_user_model):
    """A staff user in the given role (group name from dukcapil.roles), or with no role."""
    from django.contrib.auth.models import Group

    def make(role: str | None = None, username: str | None = None):
        username = username or (role or "tanpa-peran").lower().replace(" ", "-")
        user = django_user_model.objects.create_user(
            username=username, password="rahasia-uji-123", is_staff=True
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def reference_data(transactional_db):
    """Regions and roles for tests with real transactions, whose flush removes them.

    The flush's post_migrate puts the roles back by itself; the regions come back only here.
    """
    from django.apps import apps

    from dukcapil.roles import roles_sync
    from registry.regions import regions_load

    regions_load(apps)
    roles_sync(apps)
