from django.apps import AppConfig


class DukcapilConfig(AppConfig):
    name = "dukcapil"
    verbose_name = "Dukcapil Kota Kupang"
