"""Writing many rows fast: PostgreSQL COPY with ids taken from the table's sequence, and
INSERT … SELECT from a staging table, on PostgreSQL and SQLite alike.

bulk_create sends INSERT … VALUES batches of model instances; COPY of text built here is
several times faster for the tens of thousands of rows an import or a blank receipt writes
(psycopg's per-row write_row costs more than the database does). A few rows, and other
databases, go through bulk_create.
"""

import datetime as dt
import itertools
import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

_COPY_CHUNK_ROWS = 5000
# Below this, one INSERT … RETURNING beats allocating ids and opening a COPY.
_COPY_MIN_ROWS = 50
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def insert_rows(model: type[models.Model], rows: Sequence[dict]) -> list[int]:
    """Insert rows given as {attname: value} and return their new primary keys, in order.

    Fields a row leaves out take their defaults; auto_now(_add) fields take the current time.
    No save(), no signals: callers write whatever else must accompany the rows themselves.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql" or len(rows) < _COPY_MIN_ROWS:
        objs = model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
        return [obj.pk for obj in objs]
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    names = [(f.attname, _default(f)) for f in fields]
    ids = _allocate_ids(model, len(rows))
    columns = ", ".join(connection.ops.quote_name(f.column) for f in [pk, *fields])
    table = connection.ops.quote_name(model._meta.db_table)
    # Column by column: most columns are plain text needing no escaping, or repeat a few values.
    cells = [_column_text([row.get(name, default) for row in rows]) for name, default in names]
    lines = map("\t".join, zip(map(str, ids), *cells, strict=True))
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        while chunk := list(itertools.islice(lines, _COPY_CHUNK_ROWS)):
            copy.write("\n".join(chunk) + "\n")
    return ids


def _column_text(values: list) -> list[str]:
    if set(map(type, values)) == {str}:
        joined = "".join(values)
        if "\\" not in joined and joined.isprintable():
            return values
    memo = {}
    return [memo[v] if v in memo else memo.setdefault(v, _copy_text(v)) for v in values]


def _copy_text(value) -> str:
    """One value in COPY's text format."""
    if type(value) is str:
        return value.translate(_ESCAPES) if "\\" in value or not value.isprintable() else value
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):  # datetime too: isoformat keeps the time zone
        return value.isoformat()
    return str(value).translate(_ESCAPES)


def _default(field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    return field.get_default()


def _allocate_ids(model: type[models.Model], count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def ids_in(column: str, ids: Sequence[int]) -> tuple[str, list]:
    """A condition ``column`` ∈ ``ids`` with one parameter, however many ids there are."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]


def insert_select(
    model: type[models.Model],
    source: str,
    params: Sequence = (),
    *,
    columns: dict[str, str],
    constants: dict[str, Any] | None = None,
) -> int:
    """INSERT INTO the model's table SELECT … FROM ``source`` (with ``params``), set-based.

    ``columns`` maps attnames to SQL expressions over ``source``, ``constants`` attnames to
    values; other columns take their defaults, auto_now(_add) ones the current time.
    Returns the number of rows inserted.
    """
    constants = constants or {}
    quote = connection.ops.quote_name
    now = timezone.now()
    names, selected, values = [], [], []
    for field in model._meta.concrete_fields:
        if field.attname in columns:
            selected.append(columns[field.attname])
        elif field.primary_key:
            continue
        else:
            if field.attname in constants:
                value = constants[field.attname]
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = field.get_default()
            selected.append("%s")
            values.append(field.get_db_prep_save(value, connection))
        names.append(quote(field.column))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(names)}) "
            f"SELECT {', '.join(selected)} FROM {source}",
            [*values, *params],
        )
        return cursor.rowcount
