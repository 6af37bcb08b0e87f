"""Asserting that the database itself refuses a write, and by which of its constraints."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction


def _constraint(name: str) -> tuple[type[models.Model], models.BaseConstraint]:
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return model, constraint
    raise LookupError(f"no model declares a constraint named {name!r}")


@contextmanager
def refused_by(name: str) -> Iterator[None]:
    """The block raises an IntegrityError from the constraint called `name`, and no other.

    PostgreSQL names the constraint; SQLite names a CHECK constraint but reports a unique one by
    its columns, which are then compared with the named constraint's fields.
    """
    model, constraint = _constraint(name)
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        yield
    error = refused.value
    if connection.vendor == "postgresql":
        assert error.__cause__.diag.constraint_name == name, error
    elif isinstance(constraint, models.UniqueConstraint):
        table = model._meta.db_table
        columns = [model._meta.get_field(field).column for field in constraint.fields]
        assert str(error) == "UNIQUE constraint failed: " + ", ".join(
            f"{table}.{column}" for column in columns
        ), error
    else:
        assert str(error) == f"CHECK constraint failed: {name}", error
