from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DukcapilConfig(AppConfig):
    name = "dukcapil"
    verbose_name = "Dukcapil Kota Kupang"

    def ready(self):
        # Sign-ins are audited by signal receivers, which must be connected in every process
        # (commands and workers too), not only where the admin happens to load.
        from dukcapil import accounts  # noqa: F401
        from dukcapil.roles import roles_sync_after_migrate

        post_migrate.connect(roles_sync_after_migrate, sender=self)
