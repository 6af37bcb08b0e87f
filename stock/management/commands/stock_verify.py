import sys

from django.core.management.base import BaseCommand

from stock.selectors import stock_disagreements


class Command(BaseCommand):
    help = (
        "Buktikan bahwa stok blanko menurut buku besar sama dengan status blanko itu sendiri, "
        "per lokasi dan status. Keluar dengan kode 1 bila ada selisih."
    )

    def handle(self, *args, **options):
        totals, blanks = stock_disagreements()
        if not totals and not blanks:
            self.stdout.write(self.style.SUCCESS("Buku besar dan status blanko cocok."))
            return
        for row in totals:
            self.stdout.write(
                f"SELISIH {row.location} / {row.status}: buku besar {row.ledger}, "
                f"blanko {row.blanks}"
            )
        if blanks:
            shown = ", ".join(blanks[:50])
            more = f" dan {len(blanks) - 50} lainnya" if len(blanks) > 50 else ""
            self.stdout.write(
                f"Blanko yang status/lokasinya tidak sesuai entri terakhirnya: {shown}{more}"
            )
        self.stderr.write("Stok blanko TIDAK cocok dengan buku besar.")
        # A non-zero exit lets cron or CI alert someone.
        sys.exit(1)
