from django.core.management.base import BaseCommand

from registry.services.notifications import reminders_enqueue


class Command(BaseCommand):
    help = (
        "Antrekan satu pengingat bagi setiap KTP-el yang sudah dicetak "
        "DUKCAPIL_NOTIFY_UNCOLLECTED_DAYS hari atau lebih dan belum diambil. Aman dijalankan "
        "berulang (cron atau systemd timer); pesan dikirim oleh send_notifications."
    )

    def handle(self, *args, **options):
        queued = reminders_enqueue()
        self.stdout.write(f"{queued} pengingat diantrekan.")
