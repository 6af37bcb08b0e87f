"""Row and advisory locks that work on PostgreSQL and degrade gracefully on SQLite."""

from django.db import connection
from django.db.models import QuerySet


def locked(queryset: QuerySet) -> QuerySet:
    """Lock only the queryset's own rows (not joined ones) where the database can."""
    if connection.features.has_select_for_update_of:
        return queryset.select_for_update(of=("self",))
    return queryset.select_for_update()


def advisory_lock(name: str) -> None:
    """Serialise, until the transaction ends, everyone who takes the lock of this name.

    For a rule about rows that may not exist yet (a row lock on nothing locks nothing). SQLite
    runs one writing transaction at a time anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
