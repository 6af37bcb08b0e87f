"""The application's database role (``manage.py db_roles``) cannot switch the append-only guards
off, and can still do the office's ordinary work.

Roles are cluster-wide and other test runs share the cluster: the role names carry this test
database's name, and everything, the roles included, is created inside the test's transaction
and rolled back with it.
"""

import io
import re
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from dukcapil.audit import audit_record
from dukcapil.gateways import LogGateway
from dukcapil.models import AuditAction, AuditEntry, OutboxMessage
from dukcapil.outbox import message_send_next, messages_enqueue
from registry.lifecycle import REQUIRED_DOCUMENTS
from registry.models import ApplicationEvent
from registry.services.applications import application_submit
from registry.services.tickets import ticket_issue
from stock.models import Blank, Location, LocationKind, Movement
from stock.services import blanks_transfer, receipt_create
from tests.registry.factories import make_resident

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

GUARDED = [
    "registry_applicationevent",
    "registry_ticketevent",
    "stock_movement",
    "dukcapil_auditentry",
    "dukcapil_deliveryattempt",
]
INSUFFICIENT_PRIVILEGE = "42501"


@pytest.fixture
def roles() -> tuple[str, str]:
    """(owner, app), set up on the test database by the command a deployment runs."""
    prefix = re.sub(r"[^a-z0-9_]", "_", connection.settings_dict["NAME"].lower())[:50]
    owner, app = f"{prefix}_owner", f"{prefix}_app"
    call_command("db_roles", owner=owner, app=app, stdout=io.StringIO())
    return owner, app


@contextmanager
def acting_as(role: str):
    """Statements as ``role`` in a savepoint; an error rolls back to it, the role with it."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {role}")
        yield
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def _refused(role: str, statement: str) -> Exception:
    with pytest.raises(DatabaseError) as refused, acting_as(role), connection.cursor() as c:
        c.execute(statement)
    assert refused.value.__cause__.sqlstate == INSUFFICIENT_PRIVILEGE, refused.value
    return refused.value


def _work(actor, keeper):
    """A morning at the office: blanks received and moved, an application, an audit entry, a
    queue number, a message sent."""
    store = Location.objects.create(kind=LocationKind.STORE, name="Gudang")
    printer = Location.objects.create(kind=LocationKind.PRINTER, name="Mesin Cetak 1")
    receipt_create(
        received_on=timezone.localdate(),
        source="apbn",
        reference="BAST-1",
        quantity=60,
        serials="KTP0001-KTP0060",  # enough to go through COPY and the id sequence
        location=store,
        actor=keeper,
    )
    blanks_transfer(serials=["KTP0001"], from_location=store, to_location=printer, actor=keeper)
    application_submit(
        resident=make_resident(),
        kind="baru",
        actor=actor,
        applicant_present=True,
        documents_present=REQUIRED_DOCUMENTS["baru"],
    )
    audit_record(actor=actor, action=AuditAction.EXPORT, object_repr="Laporan", detail={})
    ticket_issue(service="A", actor=actor)
    messages_enqueue([OutboxMessage(kind="uji", phone="081234567890", body="Uji")])
    message_send_next(gateway=LogGateway())


@pytest.fixture
def evidence(roles, make_user):
    _work(make_user("Petugas Pendaftaran"), make_user("Pengelola Blanko"))
    counts = {table: _count(table) for table in GUARDED}
    assert all(counts.values())
    return counts


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


@pytest.mark.parametrize("table", GUARDED)
@pytest.mark.parametrize(
    "attack",
    [
        "TRUNCATE {table}",
        "TRUNCATE {table} CASCADE",
        "ALTER TABLE {table} DISABLE TRIGGER {table}_append_only",
        "ALTER TABLE {table} DISABLE TRIGGER ALL",
        "DROP TRIGGER {table}_append_only ON {table}",
        "CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$",
        "ALTER TABLE {table} OWNER TO CURRENT_USER",
    ],
)
def test_the_app_role_cannot_switch_a_guard_off(roles, evidence, table, attack):
    _refused(roles[1], attack.format(table=table))
    assert _count(table) == evidence[table]


@pytest.mark.parametrize("table", GUARDED)
@pytest.mark.parametrize("attack", ["UPDATE {table} SET id = id", "DELETE FROM {table}"])
def test_the_guard_refuses_the_app_role_changing_a_row(roles, evidence, table, attack):
    refused = _refused(roles[1], attack.format(table=table))
    assert "append-only" in str(refused)
    assert _count(table) == evidence[table]


@pytest.mark.parametrize(
    "attack",
    [
        "SET session_replication_role = replica",
        "CREATE TABLE public.shadow (id int)",
        "ALTER ROLE {app} SUPERUSER",
    ],
)
def test_the_app_role_cannot_become_more(roles, attack):
    _refused(roles[1], attack.format(app=roles[1]))


def test_the_app_role_is_a_plain_login_that_cannot_become_the_owner(roles):
    # SET ROLE is checked against the session's user (here the test's superuser), so
    # membership is asserted rather than tried.
    owner, app = roles
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, "
            "rolbypassrls, pg_has_role(rolname, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
            [owner, app],
        )
        assert cursor.fetchone() == (True, False, False, False, False, False, False)


def test_the_app_role_does_the_offices_ordinary_work(roles, make_user):
    clerk, keeper = make_user("Petugas Pendaftaran"), make_user("Pengelola Blanko")
    with acting_as(roles[1]):
        _work(clerk, keeper)
        assert Blank.objects.filter(location__kind=LocationKind.PRINTER).count() == 1
        assert Movement.objects.count() == 61
        assert ApplicationEvent.objects.count() == 1
        assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_it_can_be_run_again_and_later_migrations_keep_the_rights(roles):
    owner, app = roles
    call_command("db_roles", owner=owner, app=app, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> %s",
            [owner],
        )
        assert cursor.fetchone()[0] == 0
    # A table a later migration creates, as the owner, is the app's to use, not to empty.
    with acting_as(owner), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE public.later_table (id bigint)")
    with acting_as(app), connection.cursor() as cursor:
        cursor.execute("INSERT INTO later_table VALUES (1)")
        cursor.execute("SELECT count(*) FROM later_table")
        assert cursor.fetchone()[0] == 1
    _refused(app, "TRUNCATE later_table")


def test_it_refuses_an_app_role_that_is_a_member_of_the_owner(roles):
    owner, app = roles
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT {owner} TO {app}")
    out = io.StringIO()
    with pytest.raises(Exception, match="anggota"):
        call_command("db_roles", owner=owner, app=app, stdout=out)
