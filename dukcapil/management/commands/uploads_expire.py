from django.core.management.base import BaseCommand

from dukcapil.uploads import files_expire


class Command(BaseCommand):
    help = (
        "Hapus berkas unggahan impor dan berkas baris ditolak yang lebih tua dari "
        "DUKCAPIL_UPLOAD_KEEP_SECONDS. Jalankan berkala (cron atau systemd timer)."
    )

    def handle(self, *args, **options):
        deleted = files_expire()
        self.stdout.write(f"{deleted} berkas kedaluwarsa dihapus.")
