import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.formats import date_format, number_format

from dukcapil.formats import grouped
from registry.dashboard import projected_text
from registry.selectors.campaign import PACE_DAYS, blank_outlook, campaign_pace, current_campaign


class Command(BaseCommand):
    help = (
        "Tampilkan kemajuan kampanye KTP-el: target, capaian sejak mulai (dari riwayat "
        "permohonan), laju 7 hari terakhir, laju yang diperlukan, perkiraan selesai, dan stok "
        "blanko. Dengan --json: satu objek JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="keluaran satu objek JSON")

    def handle(self, *args, **options):
        campaign = current_campaign()
        if campaign is None:
            raise CommandError("Belum ada kampanye.")
        pace = campaign_pace(campaign)
        blanks = blank_outlook(pace)
        status = {
            "target": campaign.target,
            "start": campaign.start.isoformat(),
            "end": campaign.end.isoformat(),
            "as_of": timezone.localtime(pace.as_of).isoformat(timespec="seconds"),
            "recorded": pace.recorded,
            "printed": pace.printed,
            "issued": pace.issued,
            "issued_per_day_7d": round(pace.issued_per_day, 2),
            "required_per_day": pace.required_per_day,
            "projected_completion": _iso(pace.projected_completion),
            "blanks_in_stock": blanks.in_stock,
            "blank_days_left": blanks.days_left,
        }
        if options["json"]:
            self.stdout.write(json.dumps(status, ensure_ascii=False))
            return
        day = "j F Y"
        lines = [
            ("Kampanye", campaign.name),
            ("Target", f"{grouped(campaign.target)} orang"),
            ("Mulai", date_format(campaign.start, day)),
            ("Selesai", date_format(campaign.end, day)),
            ("Keadaan per", f"{date_format(timezone.localtime(pace.as_of), 'j F Y H:i')} WITA"),
            ("Direkam", grouped(pace.recorded)),
            ("Dicetak", grouped(pace.printed)),
            ("Diserahkan", grouped(pace.issued)),
            (
                f"Rata-rata {PACE_DAYS} hari",
                f"{number_format(pace.issued_per_day, 1, force_grouping=True)} diserahkan/hari",
            ),
            ("Laju diperlukan", _per_day(pace.required_per_day)),
            ("Perkiraan selesai", projected_text(pace)),
            ("Stok blanko", f"{grouped(blanks.in_stock)} keping"),
            (
                "Blanko cukup",
                "—" if blanks.days_left is None else f"{grouped(blanks.days_left)} hari",
            ),
        ]
        width = max(len(label) for label, _ in lines)
        for label, value in lines:
            self.stdout.write(f"{label.ljust(width)}  {value}")


def _iso(day):
    return day.isoformat() if day else None


def _per_day(value: int | None) -> str:
    return "—" if value is None else f"{grouped(value)}/hari"
