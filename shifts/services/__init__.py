"""Every write with a roster rule behind it; admin pages and imports call these."""

from shifts.services.generation import roster_generate
from shifts.services.grid_import import roster_grid_import
from shifts.services.rosters import (
    assignment_set,
    roster_amend,
    roster_create,
    roster_publish,
    roster_violations,
)

__all__ = [
    "assignment_set",
    "roster_amend",
    "roster_create",
    "roster_generate",
    "roster_grid_import",
    "roster_publish",
    "roster_violations",
]
