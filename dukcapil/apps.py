from django.apps import AppConfig


class DukcapilConfig(AppConfig):
    name = "dukcapil"
    verbose_name = "Dukcapil Kota Kupang"

    def ready(self):
        # Sign-ins are audited by signal receivers, which must be connected in every process
        # (commands and workers too), not only where the admin happens to load.
        from dukcapil import accounts  # noqa: F401
