import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from dukcapil.gateways import gateway_from_settings
from dukcapil.outbox import outbox_send_due


class Command(BaseCommand):
    help = (
        "Kirim pesan keluar yang sudah waktunya melalui gateway DUKCAPIL_SMS_GATEWAY. "
        "Tanpa --once berjalan terus dan memeriksa setiap DUKCAPIL_OUTBOX_POLL_SECONDS detik; "
        "SIGTERM menghentikannya dengan rapi setelah pesan yang sedang dikirim."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Kirim yang sudah waktunya, lalu berhenti."
        )

    def handle(self, *args, once: bool = False, **options):
        gateway = gateway_from_settings()
        stopping = threading.Event()
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stopping.set())
        while True:
            tried = outbox_send_due(gateway=gateway, stop=stopping.is_set)
            if tried:
                self.stdout.write(f"{tried} pesan dicoba kirim.")
            if once or stopping.wait(settings.DUKCAPIL_OUTBOX_POLL_SECONDS):
                return
