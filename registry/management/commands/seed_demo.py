import datetime as dt
import time

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.formats import number_format
from tqdm import tqdm

from dukcapil.formats import grouped
from dukcapil.roles import BLANKS, SUPERVISOR
from registry.demo import seed_residents
from registry.demo_history import DEMO_POSTS, Campaign30, campaign_seed, demo_account
from registry.demo_queue import queue_seed
from registry.models import Resident
from shifts.demo import duty_index, seed_rosters
from shifts.models import Roster
from stock.models import Receipt


class Command(BaseCommand):
    help = (
        "Isi basis data dengan data demo Kota Kupang: penduduk dalam keluarga (No. KK), "
        "kampanye yang hari ini memasuki hari ke-30, riwayat permohonan, blanko dan jadwal "
        "dinas sejak kampanye dimulai, serta pengguna demo yang sedang bertugas."
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
        added = [self._seed_residents(residents)]
        if not Receipt.objects.exists():  # the campaign's history is told once
            added += self._seed_campaign()
        seconds = number_format(time.perf_counter() - started, 1)
        self.stdout.write(f"Data demo ditambahkan dalam {seconds} detik: {', '.join(added)}.")

    def _seed_residents(self, count: int) -> str:
        with tqdm(total=count, unit="penduduk", disable=not self.show_progress) as bar:
            inserted = seed_residents(count=count, progress=bar.update)
        return f"{grouped(inserted)} penduduk"

    def _seed_campaign(self) -> list[str]:
        campaign = campaign_seed(timezone.localdate())
        clerks = {post: demo_account(role) for role, post in DEMO_POSTS.items()}
        assignments = seed_rosters(
            campaign_start=campaign.start, clerks=clerks, actor=clerks["AWS"]
        )
        roster = Roster.objects.get(
            period_start__lte=campaign.start, period_end__gte=campaign.start
        )
        history = Campaign30(
            start=dt.datetime.combine(campaign.start, dt.time.min),
            now=timezone.localtime().replace(tzinfo=None),
            duty=duty_index(roster),
            clerks={user.pk for user in clerks.values()},
            keeper=demo_account(BLANKS),
            approver=demo_account(SUPERVISOR),
        )
        moved = history.run()
        tickets = queue_seed(clerks)
        return [
            f"kampanye {campaign.start:%d-%m-%Y} s.d. {campaign.end:%d-%m-%Y}",
            f"{grouped(moved)} permohonan dengan riwayatnya",
            f"{grouped(assignments)} tugas shift",
            f"{grouped(tickets)} nomor antrean pagi ini",
        ]
