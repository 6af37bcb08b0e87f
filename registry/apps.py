from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Registrasi Penduduk"

    def ready(self):
        from registry.selectors import applications
        from stock import providers

        # The stock pages show these counts; stock may not import the registry to ask for them.
        providers.provide(
            cards_to_print=applications.cards_still_to_print,
            old_cards_awaiting_destruction=applications.old_cards_awaiting_destruction,
        )
