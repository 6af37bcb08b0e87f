import time

from django.core.management.base import BaseCommand
from django.utils.formats import number_format
from tqdm import tqdm

from registry.demo import seed_residents
from registry.models import Resident
from registry.services.siak_load import applications_load_from_siak
from shifts.demo import seed_rosters
from stock.demo import seed_stock


class Command(BaseCommand):
    help = (
        "Isi basis data dengan data demo Kota Kupang: penduduk dalam keluarga (No. KK), "
        "gudang dan mesin cetak dengan stok blanko, petugas dan jadwal dinas bulan ini."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--residents", type=int, default=5_000, help="jumlah penduduk demo (bawaan: 5000)"
        )
        parser.add_argument(
            "--once", action="store_true", help="tidak melakukan apa pun bila sudah ada penduduk"
        )

    def handle(self, *args, residents: int, once: bool, verbosity: int, **options):
        if once and Resident.objects.exists():
            self.stdout.write("Data demo sudah ada; tidak ada yang ditambahkan.")
            return
        self.show_progress = verbosity > 0
        started = time.perf_counter()
        # One line per kind of demo data; each step returns what it added, for the summary.
        added = [
            self._seed_residents(residents),
            f"{number_format(applications_load_from_siak(), force_grouping=True)} permohonan "
            "dari status SIAK",
            f"{number_format(seed_stock(), force_grouping=True)} blanko",
            f"{number_format(seed_rosters(), force_grouping=True)} tugas shift",
        ]
        seconds = number_format(time.perf_counter() - started, 1)
        self.stdout.write(f"Data demo ditambahkan dalam {seconds} detik: {', '.join(added)}.")

    def _seed_residents(self, count: int) -> str:
        with tqdm(total=count, unit="penduduk", disable=not self.show_progress) as bar:
            inserted = seed_residents(count=count, progress=bar.update)
        return f"{number_format(inserted, force_grouping=True)} penduduk"
