import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from dukcapil.roles import ROLE_PERMISSIONS
from dukcapil.two_factor import (
    OTP_ROLES,
    authenticator_key,
    backup_codes_issue,
    totp_device_create,
)
from registry.demo_history import DEMO_STAFF

DEFAULT_HOST = "127.0.0.1:8000"
# No 0/O, 1/l/I: the passwords are read off a screen and typed in.
READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def readable_password() -> str:
    """Twelve random characters in three groups, e.g. "k7mp-x3aw-9rtd"."""
    return "-".join("".join(secrets.choice(READABLE) for _ in range(4)) for _ in range(3))


def secrets_file() -> Path:
    return Path(settings.VAR_DIR) / "demo_users.json"


def _secrets_load() -> dict:
    """Passwords and authenticator keys chosen at the first run, so they stay the same."""
    path = secrets_file()
    if not path.exists():
        return {"passwords": {}, "totp_keys": {}}
    return json.loads(path.read_text())


def _secrets_save(kept: dict) -> None:
    path = secrets_file()
    # Created private: the file holds every demo login.
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(json.dumps(kept, indent=2, sort_keys=True))


class Command(BaseCommand):
    help = (
        "Buat atau perbarui satu pengguna demo per peran. Kata sandi dan kunci autentikator "
        "dibuat sekali per instalasi, disimpan di var/demo_users.json, dan dicetak setiap kali "
        "dijalankan; kode cadangan diterbitkan baru setiap kali. Hanya untuk demo (DEBUG=1 atau "
        "DUKCAPIL_DEMO=1)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="pakai kata sandi ini untuk semua pengguna (mis. untuk tes); tidak disimpan",
        )
        parser.add_argument(
            "--host",
            default=DEFAULT_HOST,
            help=f"alamat server yang dicetak untuk masuk (bawaan: {DEFAULT_HOST})",
        )

    @transaction.atomic
    def handle(self, *args, password: str | None, host: str, **options):
        if not (settings.DEBUG or settings.DUKCAPIL_DEMO):
            raise CommandError(
                "demo_users hanya untuk instalasi demo: jalankan dengan DUKCAPIL_DEMO=1 (atau "
                "DEBUG=1). Di kantor, buat akun lewat halaman Pengguna; superuser dengan "
                "createsuperuser."
            )
        kept = _secrets_load()
        rows = [("Peran", "Nama pengguna", "Kata sandi")]
        second_factors = []
        for role in ROLE_PERMISSIONS:
            username, first_name, last_name = DEMO_STAFF[role]
            secret = password or kept["passwords"].setdefault(username, readable_password())
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
                key = kept["totp_keys"].setdefault(username, random_hex(20))
                second_factors.append((username, *self._second_factor(user, key)))
        _secrets_save(kept)
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
        self.stdout.write(f"Masuk di http://{host}/admin/")

    def _second_factor(self, user, key: str) -> tuple[str, list[str]]:
        """The installation's authenticator key (an app set up once keeps working) and fresh
        backup codes (printed codes are one-time; the earlier ones stop working)."""
        devices = list(devices_for_user(user, confirmed=None))
        kept = [d for d in devices if isinstance(d, TOTPDevice) and d.key == key and d.confirmed]
        for device in devices:
            if isinstance(device, TOTPDevice) and device not in kept:
                device.delete()
        device = kept[0] if kept else totp_device_create(user=user, confirmed=True)
        if not kept:
            device.key = key
            device.save(update_fields=["key"])
        return authenticator_key(device), backup_codes_issue(user=user, count=5)
