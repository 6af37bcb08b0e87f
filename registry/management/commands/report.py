"""``manage.py report NAME --format xlsx|csv --out FILE [nama=nilai ...]``: any report of
/admin/laporan/ written to a file, with the same filters as its page, in constant memory,
attributed to the system user and audited like a download."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from dukcapil.accounts import system_user
from dukcapil.audit import audit_record
from dukcapil.exports import CONTENT_TYPES
from dukcapil.formats import grouped
from dukcapil.models import AuditAction
from dukcapil.sheet_writer import stream_csv, stream_xlsx
from registry.reports.definitions import REPORTS, REPORTS_BY_SLUG


class Command(BaseCommand):
    help = (
        "Tulis laporan ke berkas XLSX atau CSV. Penyaring seperti di halamannya, sebagai "
        "nama=nilai, misalnya: report penggunaan-blanko --format xlsx --out blanko.xlsx "
        "bulan=2020-02. Laporan: " + ", ".join(report.slug for report in REPORTS) + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="nama laporan (alamatnya di /admin/laporan/)")
        parser.add_argument("filters", nargs="*", help="penyaring nama=nilai")
        parser.add_argument("--format", dest="fmt", choices=list(CONTENT_TYPES), default="xlsx")
        parser.add_argument("--out", type=Path, required=True, help="berkas yang ditulis")

    def handle(self, *args, name, filters, fmt, out, **options):
        report = REPORTS_BY_SLUG.get(name)
        if report is None:
            known = ", ".join(r.slug for r in REPORTS)
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
        written = 0

        def counted():
            nonlocal written
            for row in table.all_rows():
                written += 1
                yield row

        stream = stream_xlsx if fmt == "xlsx" else stream_csv
        try:
            with out.open("wb") as file:
                for chunk in stream(list(table.headers), counted()):
                    file.write(chunk)
        except OSError as exc:
            raise CommandError(f"Berkas {out} tidak dapat ditulis: {exc.strerror}.") from None
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            object_repr=report.title,
            detail={
                "report": report.title,
                "format": fmt,
                "filters": {key: data.getlist(key) for key in data},
                "rows": written,
                "complete": True,
                "file": out.name,
            },
        )
        self.stdout.write(f"{report.title}: {grouped(written)} baris ditulis ke {out}.")
