import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp import devices_for_user

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
from dukcapil.two_factor import (
    OTP_ROLES,
    authenticator_key,
    backup_codes_issue,
    totp_device_create,
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
        "dijalankan. Hanya untuk demo (DEBUG=1 atau DUKCAPIL_DEMO=1): kata sandi, kunci "
        "autentikator dan kode cadangan dicetak ke layar."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", help="pakai kata sandi ini untuk semua pengguna (mis. untuk tes)"
        )

    @transaction.atomic
    def handle(self, *args, password: str | None, **options):
        if not (settings.DEBUG or settings.DUKCAPIL_DEMO):
            raise CommandError(
                "demo_users hanya untuk instalasi demo: jalankan dengan DUKCAPIL_DEMO=1 (atau "
                "DEBUG=1). Di kantor, buat akun lewat halaman Pengguna; superuser dengan "
                "createsuperuser."
            )
        rows = [("Peran", "Nama pengguna", "Kata sandi")]
        second_factors = []
        for role in ROLE_PERMISSIONS:
            username, first_name, last_name = DEMO_STAFF[role]
            secret = password or readable_password()
            user, _ = get_user_model().objects.get_or_create(username=username)
            user.first_name, user.last_name = first_name, last_name
            user.is_staff, user.is_active, user.is_superuser = True, True, False
            try:
                validate_password(secret, user)
            except ValidationError as exc:
                raise CommandError(f"Kata sandi ditolak: {' '.join(exc.messages)}") from exc
            user.set_password(secret)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            rows.append((role, username, secret))
            if role in OTP_ROLES:
                second_factors.append((username, *self._second_factor(user)))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        self.stdout.write(
            "Verifikasi dua langkah (setelah kata sandi): kode dari aplikasi autentikator "
            "dengan kunci ini, atau satu kode cadangan (sekali pakai)."
        )
        for username, key, codes in second_factors:
            self.stdout.write(f"  {username}: kunci {key}; kode cadangan {' '.join(codes)}")
        self.stdout.write(f"Masuk di {LOGIN_URL}")

    def _second_factor(self, user) -> tuple[str, list[str]]:
        """A new authenticator key and backup codes; the earlier ones stop working."""
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        device = totp_device_create(user=user, confirmed=True)
        return authenticator_key(device), backup_codes_issue(user=user, count=5)
