"""Very large admin lists: pages that never COUNT(*) over millions of rows, nor sort them."""

from functools import cache, cached_property

from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection


class LargeTablePaginator(Paginator):
    """Counts exactly only what the planner expects to be small.

    On PostgreSQL the planner's row estimate for the list's query (filters and search
    included) decides: above CAP the estimate is shown as "sekitar …", below it the rows are
    counted. A capped ``COUNT`` over a subquery with LIMIT looked cheaper, but the planner
    then scans the table sequentially for a name search. SQLite holds only the demo data.
    """

    CAP = 2_000
    approximate = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if connection.vendor == "postgresql":
            estimate = _planned_rows(queryset)
            if estimate > self.CAP:
                self.approximate = True
                return estimate
        return queryset.count()


def _planned_rows(queryset) -> int:
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # queryset.none(): nothing to plan
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    return int(plan[0]["Plan"]["Plan Rows"])


class LargeListMixin:
    """For a ModelAdmin over a very large table: estimated counts, and only orderings an index
    serves, each ending in a unique field so that pages are stable.

    The admin's ``ordering`` is the default and must end in a unique field; an index must match
    it. A click on a column in ``sortable_by`` sorts by that column alone, ties broken by the
    default ordering in the same direction — ``(column, *ordering)`` ascending, all of it
    reversed descending — so one index serves both directions. A foreign key sorts by its own
    column, not by a join to the related model's ordering. Columns outside ``sortable_by``,
    and any further columns of Django's multi-column sort, are ignored even when asked for in
    the address: each would sort the whole table.
    """

    paginator = LargeTablePaginator
    show_full_result_count = False
    list_per_page = 50
    sortable_by: list[str] = []

    def get_changelist(self, request, **kwargs):
        return _indexed_ordering(super().get_changelist(request, **kwargs))


@cache
def _indexed_ordering(changelist_class):
    class IndexedOrderingChangeList(changelist_class):
        def get_ordering(self, request, queryset):
            default = list(self.model_admin.get_ordering(request))
            sorted_by = self._sorted_column()
            if sorted_by is None:
                return default
            index, descending = sorted_by
            key = self.get_ordering_field(self.list_display[index])
            if key.startswith("-"):
                key, descending = key[1:], not descending
            key = self._column_name(key)
            keys = [key] if key in self._unique_names() else [key, *_without(default, key)]
            return [_reversed(k) for k in keys] if descending else keys

        def get_ordering_field_columns(self):
            sorted_by = self._sorted_column()
            if sorted_by is None:
                return super().get_ordering_field_columns()
            index, descending = sorted_by
            return {index: "desc" if descending else "asc"}

        def _sorted_column(self) -> tuple[int, bool] | None:
            """The first column asked for in the address that the list may sort by."""
            for part in self.params.get(ORDER_VAR, "").split("."):
                _, sign, number = part.rpartition("-")
                if not number.isdigit() or int(number) >= len(self.list_display):
                    continue
                name = self.list_display[int(number)]
                if name in self.sortable_by and self.get_ordering_field(name):
                    return int(number), sign == "-"
            return None

        def _column_name(self, name: str) -> str:
            # A foreign key would order by the related model's ordering: a join sort.
            field = next((f for f in self.lookup_opts.fields if f.name == name), None)
            return field.attname if field is not None and field.many_to_one else name

        def _unique_names(self) -> set[str]:
            opts = self.lookup_opts
            return (
                {"pk", opts.pk.attname}
                | {f.attname for f in opts.fields if f.unique and not f.null}
                | {c.fields[0] for c in opts.total_unique_constraints if len(c.fields) == 1}
            )

    return IndexedOrderingChangeList


def _without(ordering: list[str], name: str) -> list[str]:
    return [key for key in ordering if key.lstrip("-") != name]


def _reversed(key: str) -> str:
    return key[1:] if key.startswith("-") else f"-{key}"
