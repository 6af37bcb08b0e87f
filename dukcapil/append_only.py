"""Append-only tables (ledgers, event logs, evidence): written once, never changed or deleted.

Two layers. The models refuse to save a stored row again, to delete one, and bulk updates or
deletes, so a mistake in the code fails loudly on every database. A migration installs a
PostgreSQL trigger that refuses UPDATE and DELETE of their rows even from a database shell with
the application's credentials. TRUNCATE, used only to empty a test or benchmark database, is
not a row operation and stays possible.

A signed record (a berita acara) is inserted unsigned and signed later: its ``fill_once``
fields, empty at insert, may be filled by one update that changes nothing else.
"""

from collections.abc import Sequence

from django.db import migrations, models
from django.utils.text import capfirst

GUARD = """
CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN{fill_once}
    RAISE EXCEPTION '{table} is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
"""
# Allowed while every fill-once column is still empty (NULL), and when nothing else changes.
FILL_ONCE = """
    IF TG_OP = 'UPDATE'
        AND NOT (jsonb_strip_nulls(to_jsonb(OLD)) ?| {columns})
        AND to_jsonb(NEW) - {columns} = to_jsonb(OLD) - {columns}
    THEN
        RETURN NEW;
    END IF;"""
UNGUARD = """
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP FUNCTION IF EXISTS {table}_append_only();
"""


def append_only_guard(table: str, *, fill_once: Sequence[str] = ()) -> migrations.RunPython:
    """The migration operation that installs (and on reverse removes) the guard.

    ``fill_once`` names the database columns a signature fills after the insert.
    """
    columns = "ARRAY[{}]".format(", ".join(f"'{column}'" for column in fill_once))
    fill_once_sql = FILL_ONCE.format(columns=columns) if fill_once else ""

    def run(sql: str):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                text = sql.format(table=table, fill_once=fill_once_sql)
                schema_editor.execute(text, params=None)

        return operation

    return migrations.RunPython(run(GUARD), run(UNGUARD))


def _refusal(model: type[models.Model], done: str) -> str:
    return f"{capfirst(model._meta.verbose_name)} tidak dapat {done}."


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk writes never call save() or delete(): they are refused here."""

    def update(self, **kwargs):
        raise PermissionError(_refusal(self.model, "diubah"))

    def delete(self):
        raise PermissionError(_refusal(self.model, "dihapus"))

    # The deletion collector's fast path calls this instead of delete().
    def _raw_delete(self, using):
        raise PermissionError(_refusal(self.model, "dihapus"))


class AppendOnlyModel(models.Model):
    """A row is saved once; only the ``fill_once`` fields may be filled later, once."""

    fill_once: tuple[str, ...] = ()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "objects"

    def save(self, *args, **kwargs):
        if not self._state.adding and not self._fills_once(kwargs.get("update_fields")):
            raise PermissionError(_refusal(type(self), "diubah"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(_refusal(type(self), "dihapus"))

    def _fills_once(self, update_fields) -> bool:
        if not self.fill_once or not update_fields or not set(update_fields) <= set(self.fill_once):
            return False
        still_empty = {f"{name}__isnull": True for name in self.fill_once}
        return type(self)._base_manager.filter(pk=self.pk, **still_empty).exists()
