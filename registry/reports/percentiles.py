"""Percentiles per group on any database with window functions (PostgreSQL, SQLite ≥ 3.25).

PostgreSQL has ``percentile_cont`` and SQLite has nothing of the kind, so the same answer is
computed in a way both run: rank each group's values with ``ROW_NUMBER()`` and read only the
one or two rows either side of each percentile's position, then interpolate between them as
``percentile_cont`` does. The database sorts; at most two rows per group and percentile come
back, whatever the size of the group.
"""

import math
from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import Count, Expression, F, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber


def _position(percent: int, *, round_up: bool):
    """The 1-based rank of the row at or after (``round_up``) the percentile's position,
    in integer arithmetic the database does alike everywhere (integer division truncates)."""
    scaled = (F("_size") - Value(1)) * Value(percent)
    if round_up:
        scaled = scaled + Value(99)
    return scaled / Value(100) + Value(1)


def percentiles(
    queryset: QuerySet, *, value: Expression, group: Expression, percents: tuple[int, ...]
) -> dict:
    """Group → (number of rows, {percent: value}) for the rows of ``queryset``.

    A value is ``percentile_cont(percent / 100) WITHIN GROUP (ORDER BY value)``: between the
    two ranks around (n − 1) × p it lies in proportion. ``value`` must support subtraction,
    multiplication by a float and addition (numbers, ``timedelta``).
    """
    ranked = queryset.annotate(
        _group=group,
        _value=value,
        _rank=Window(RowNumber(), partition_by=[group], order_by=[value.asc(), F("pk").asc()]),
        _size=Window(Count("pk"), partition_by=[group]),
    )
    near = reduce(
        or_,
        (
            Q(_rank__gte=_position(p, round_up=False), _rank__lte=_position(p, round_up=True))
            for p in percents
        ),
    )
    sizes: dict = {}
    values: dict = defaultdict(dict)
    for key, rank, size, found in ranked.filter(near).values_list(
        "_group", "_rank", "_size", "_value"
    ):
        sizes[key] = size
        values[key][rank] = found
    result = {}
    for key, size in sizes.items():
        ranks = values[key]
        found = {}
        for p in percents:
            position = (size - 1) * p / 100
            low = math.floor(position)
            # On an exact rank the row above was not read, and is not needed.
            below = ranks[low + 1]
            above = ranks.get(low + 2, below)
            found[p] = below + (above - below) * (position - low)
        result[key] = (size, found)
    return result
