"""The registry's admin pages: the resident register, the application desks and reports."""

# Importing a module registers its admin classes.
from registry.admin import (  # noqa: F401
    applications,
    brokers,
    campaign,
    lookups,
    queue,
    residents,
    tickets,
)
