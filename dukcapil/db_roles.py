"""The two PostgreSQL roles of an installation: the owner, and the application that owns nothing.

Migrations run as the owner of every table. The application connects as a role that may read
and write rows and nothing more: TRUNCATE, ALTER TABLE (… DISABLE TRIGGER), DROP TRIGGER and
``SET session_replication_role`` need ownership or superuser, so the append-only guards hold
against the application's own credentials. ``manage.py db_roles`` runs this as a superuser.
"""

import re

from django.db import connection

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_LIMITED = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS LOGIN"

# Everything in the public schema except what an extension (pg_trgm) brought and owns itself.
_NOT_FROM_EXTENSION = """
    NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {oid} AND d.deptype = 'e')
"""
_RELATIONS = f"""
    SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ({{kinds}}) AND c.relowner <> %s::regrole
      AND {_NOT_FROM_EXTENSION.format(oid="c.oid")}
"""
_FUNCTIONS = f"""
    SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND p.proowner <> %s::regrole
      AND {_NOT_FROM_EXTENSION.format(oid="p.oid")}
"""


def db_roles_setup(
    *,
    owner: str,
    app: str,
    owner_password: str | None = None,
    app_password: str | None = None,
) -> None:
    """Create or correct both roles and their rights on the current database; safe to re-run.

    Run inside a transaction as a superuser. Without a password a role logs in only where
    pg_hba.conf lets it (peer or trust).
    """
    for name in (owner, app):
        if not ROLE_NAME.match(name):
            raise ValueError(f"Nama peran “{name}” tidak sah (huruf kecil, angka, garis bawah).")
    if owner == app:
        raise ValueError("Peran aplikasi harus berbeda dari peran pemilik.")
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, password in ((owner, owner_password), (app, app_password)):
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE ROLE {q(name)}")
            cursor.execute(f"ALTER ROLE {q(name)} WITH {_LIMITED}")
            if password:
                cursor.execute(f"ALTER ROLE {q(name)} PASSWORD %s", [password])
        # A member of the owner could SET ROLE to it and have all the owner may.
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [app, owner])
        if cursor.fetchone()[0]:
            raise ValueError(f"Peran {app} adalah anggota {owner}; cabut keanggotaan itu dahulu.")

        cursor.execute("SELECT current_database()")
        database = q(cursor.fetchone()[0])
        cursor.execute(f"ALTER DATABASE {database} OWNER TO {q(owner)}")
        # Before PostgreSQL 15 every role could create tables in public.
        cursor.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        cursor.execute(f"GRANT USAGE, CREATE ON SCHEMA public TO {q(owner)}")
        _own_everything(cursor, owner)

        cursor.execute(f"GRANT CONNECT ON DATABASE {database} TO {q(app)}")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {q(app)}")
        cursor.execute(f"REVOKE CREATE ON SCHEMA public FROM {q(app)}")
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {q(app)}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {q(app)}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {q(app)}")
        # Tables and sequences later migrations create (as the owner) get the same rights.
        default = f"ALTER DEFAULT PRIVILEGES FOR ROLE {q(owner)} IN SCHEMA public"
        cursor.execute(f"{default} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {q(app)}")
        cursor.execute(f"{default} GRANT USAGE, SELECT ON SEQUENCES TO {q(app)}")


def _own_everything(cursor, owner: str) -> None:
    q = connection.ops.quote_name
    # Tables first: their identity sequences and indexes follow them.
    cursor.execute(_RELATIONS.format(kinds="'r', 'p'"), [owner])
    for (table,) in cursor.fetchall():
        cursor.execute(f"ALTER TABLE {table} OWNER TO {q(owner)}")
    cursor.execute(_RELATIONS.format(kinds="'S'"), [owner])
    for (sequence,) in cursor.fetchall():
        cursor.execute(f"ALTER SEQUENCE {sequence} OWNER TO {q(owner)}")
    cursor.execute(_FUNCTIONS, [owner])
    for (signature,) in cursor.fetchall():
        cursor.execute(f"ALTER FUNCTION {signature} OWNER TO {q(owner)}")
