"""A paginator for very large admin lists: never COUNT(*) over the whole table."""

from functools import cached_property

from django.core.paginator import Paginator
from django.db import connection


class LargeTablePaginator(Paginator):
    """Counts at most CAP rows; the unfiltered list uses PostgreSQL's row estimate.

    ``approximate`` tells the template to say "about" / "more than" instead of a number
    the database never computed.
    """

    CAP = 2_000  # 40 pages of 50: past that, a clerk narrows the search instead
    approximate = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not queryset.query.where:
            if connection.vendor != "postgresql":
                return queryset.count()  # SQLite: the small demo database
            estimate = _estimated_rows(queryset.model._meta.db_table)
            if estimate > self.CAP:
                self.approximate = True
                return estimate
        capped = queryset.order_by()[: self.CAP + 1].count()
        if capped > self.CAP:
            self.approximate = True
            return self.CAP
        return capped


def _estimated_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
        row = cursor.fetchone()
    return max(int(row[0]), 0) if row else 0
