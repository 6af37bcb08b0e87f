"""What each staff role may do in this app; merged into dukcapil.roles.ROLE_PERMISSIONS."""

PERMISSIONS: dict[str, list[str]] = {}
