"""The registry's admin pages: the resident register, the application desks and reports."""

from registry.admin import (
    applications,  # noqa: F401
    residents,  # noqa: F401 — registers the admin classes
)
