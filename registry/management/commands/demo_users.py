import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from dukcapil.roles import (
    ADMINISTRATOR,
    BLANKS,
    HANDOVER,
    PRINTING,
    RECORDING,
    REGISTRATION,
    ROLE_PERMISSIONS,
    SUPERVISOR,
)

LOGIN_URL = "http://127.0.0.1:8000/admin/"
# Role → (username, first name, last name) of its demo staff member.
DEMO_STAFF = {
    REGISTRATION: ("pendaftaran", "Maria", "Ndolu"),
    RECORDING: ("perekaman", "Yohanes", "Benu"),
    PRINTING: ("cetak", "Kristoforus", "Laka"),
    HANDOVER: ("penyerahan", "Fransiska", "Manafe"),
    BLANKS: ("blanko", "Agustinus", "Nenobais"),
    SUPERVISOR: ("kasi", "Martha", "Fanggidae"),
    ADMINISTRATOR: ("admin", "Yoseph", "Riwu"),
}
# No 0/O, 1/l/I: the passwords are read off a screen and typed in.
READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def readable_password() -> str:
    """Twelve random characters in three groups, e.g. "k7mp-x3aw-9rtd"."""
    return "-".join("".join(secrets.choice(READABLE) for _ in range(4)) for _ in range(3))


class Command(BaseCommand):
    help = (
        "Buat atau perbarui satu pengguna demo per peran, dengan kata sandi baru setiap kali "
        "dijalankan. Hanya untuk demo: kata sandinya dicetak ke layar."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", help="pakai kata sandi ini untuk semua pengguna (mis. untuk tes)"
        )

    @transaction.atomic
    def handle(self, *args, password: str | None, **options):
        rows = [("Peran", "Nama pengguna", "Kata sandi")]
        for role in ROLE_PERMISSIONS:
            username, first_name, last_name = DEMO_STAFF[role]
            secret = password or readable_password()
            user, _ = get_user_model().objects.get_or_create(username=username)
            user.first_name, user.last_name = first_name, last_name
            user.is_staff, user.is_active, user.is_superuser = True, True, False
            user.set_password(secret)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            rows.append((role, username, secret))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        self.stdout.write(f"Masuk di {LOGIN_URL}")
