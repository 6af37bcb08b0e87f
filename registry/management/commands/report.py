"""``manage.py report NAME --format xlsx|csv --out FILE [nama=nilai ...]``: any report of
/admin/laporan/ written to a file, with the same filters as its page, in constant memory,
attributed to the system user and audited like a download."""

import argparse
import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from dukcapil.accounts import system_user
from dukcapil.days import MONTH_FORMAT, parse_month
from dukcapil.exports import CONTENT_TYPES, spreadsheet_file
from dukcapil.formats import grouped
from dukcapil.sheet_writer import Sheet
from registry.reports.definitions import REPORTS, REPORTS_BY_SLUG
from registry.reports.monthly import monthly_sheets

MONTHLY = "monthly"


class Command(BaseCommand):
    help = (
        "Tulis laporan ke berkas XLSX atau CSV. Penyaring seperti di halamannya, sebagai "
        "nama=nilai, misalnya: report penggunaan-blanko --format xlsx --out blanko.xlsx "
        "bulan=2020-02; report monthly --month 2020-02 --out bulanan.xlsx menulis laporan bulanan. "
        "Laporan: " + ", ".join(report.slug for report in REPORTS) + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="nama laporan (alamatnya di /admin/laporan/)")
        parser.add_argument("filters", nargs="*", help="penyaring nama=nilai")
        parser.add_argument("--format", dest="fmt", choices=list(CONTENT_TYPES), default="xlsx")
        parser.add_argument("--out", type=Path, required=True, help="berkas yang ditulis")
        parser.add_argument(
            "--month", type=_month, help="untuk laporan bulanan (monthly): bulan TTTT-BB"
        )

    def handle(self, *args, name, filters, fmt, out, month, **options):
        if name == MONTHLY:
            return self._monthly(month, fmt, out)
        report = REPORTS_BY_SLUG.get(name)
        if report is None:
            known = ", ".join([*(r.slug for r in REPORTS), MONTHLY])
            raise CommandError(f"Laporan '{name}' tidak ada. Pilihan: {known}.")
        data = QueryDict(mutable=True)
        for item in filters:
            key, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"Penyaring '{item}' harus ditulis nama=nilai.")
            data.appendlist(key, value)
        unknown = sorted(set(data) - set(report.filterset.base_filters))
        if unknown:
            allowed = ", ".join(report.filterset.base_filters)
            raise CommandError(
                f"Penyaring tidak dikenal: {', '.join(unknown)}. Pilihan: {allowed}."
            )
        found = report.filters(data)
        actor = system_user()
        if not found.is_valid():
            problems = "; ".join(
                f"{key}: {' '.join(messages)}" for key, messages in found.errors.items()
            )
            raise CommandError(f"Penyaring tidak sah — {problems}")
        table = report.build(found, actor)
        sheet = Sheet(report.title, list(table.headers), table.all_rows())
        written = _write(report.title, fmt, out, [sheet], actor=actor, filters=data)
        self.stdout.write(f"{report.title}: {grouped(written)} baris ditulis ke {out}.")

    def _monthly(self, month: dt.date | None, fmt: str, out: Path) -> None:
        if month is None or fmt != "xlsx":
            raise CommandError("Laporan bulanan: --month TTTT-BB dan --format xlsx.")
        title = f"Laporan bulanan {month:%m/%Y}"
        # Run by whoever runs the server: every report, protected data masked as for the system.
        sheets = monthly_sheets(month=month, user=system_user(), reports=REPORTS)
        filters = QueryDict(mutable=True)
        filters["bulan"] = month.strftime(MONTH_FORMAT)
        written = _write(title, fmt, out, sheets, actor=system_user(), filters=filters)
        self.stdout.write(
            f"{title}: {len(sheets)} lembar, {grouped(written)} baris ditulis ke {out}."
        )


def _month(value: str) -> dt.date:
    try:
        return parse_month(value)
    except ValueError:
        raise argparse.ArgumentTypeError("tulis bulan sebagai TTTT-BB, misalnya 2020-02") from None


def _write(title: str, fmt: str, out: Path, sheets: list[Sheet], *, actor, filters) -> int:
    try:
        return spreadsheet_file(
            actor=actor, report=title, fmt=fmt, path=out, sheets=sheets, filters=filters
        )
    except OSError as exc:
        raise CommandError(f"Berkas {out} tidak dapat ditulis: {exc.strerror}.") from None
