import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from dukcapil.db_roles import db_roles_setup


class Command(BaseCommand):
    help = (
        "Buat atau selaraskan dua peran PostgreSQL: pemilik tabel (untuk migrate) dan peran "
        "aplikasi yang tidak memiliki tabel apa pun. Jalankan sebagai superuser PostgreSQL "
        "(DATABASE_URL superuser) pada basis data aplikasi. Kata sandi dibaca dari "
        "DUKCAPIL_DB_OWNER_PASSWORD dan DUKCAPIL_DB_APP_PASSWORD bila diisi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--owner", default="dukcapil_owner", help="peran pemilik tabel")
        parser.add_argument("--app", default="dukcapil_app", help="peran aplikasi")

    def handle(self, *args, owner: str, app: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("db_roles hanya untuk PostgreSQL.")
        try:
            with transaction.atomic():
                db_roles_setup(
                    owner=owner,
                    app=app,
                    owner_password=os.environ.get("DUKCAPIL_DB_OWNER_PASSWORD"),
                    app_password=os.environ.get("DUKCAPIL_DB_APP_PASSWORD"),
                )
        except ValueError as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            f"Peran {owner} memiliki basis data {connection.settings_dict['NAME']} dan semua "
            f"tabelnya; peran {app} hanya membaca dan menulis baris. Jalankan migrate dengan "
            f"DATABASE_URL sebagai {owner}, dan aplikasi dengan DATABASE_URL sebagai {app}."
        )
