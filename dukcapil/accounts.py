"""The account work done by the system itself (demo data, command-line loads) is attributed to."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

SYSTEM_USERNAME = "sistem"


def system_user() -> AbstractBaseUser:
    """An inactive account that cannot log in, so every change still names a user."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "first_name": "Sistem"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
