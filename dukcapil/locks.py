"""Row locks that work on PostgreSQL and degrade gracefully on SQLite."""

from django.db import connection
from django.db.models import QuerySet


def locked(queryset: QuerySet) -> QuerySet:
    """Lock only the queryset's own rows (not joined ones) where the database can."""
    if connection.features.has_select_for_update_of:
        return queryset.select_for_update(of=("self",))
    return queryset.select_for_update()
