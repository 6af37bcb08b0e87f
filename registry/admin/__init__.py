"""The registry's admin pages: the resident register, the application desks and reports."""

# Importing a module registers its admin classes.
from registry.admin import applications, brokers, campaign, queue, residents  # noqa: F401
