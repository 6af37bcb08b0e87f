from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dukcapil.accounts import system_user
from dukcapil.audit import audit_record
from dukcapil.formats import grouped
from dukcapil.models import AuditAction
from dukcapil.spreadsheets import Workbook
from registry.services.resident_import import rejected_rows_xlsx, resident_import
from registry.siak import HEADER_ROW


class Command(BaseCommand):
    help = (
        "Impor penduduk dari berkas SIAK/BIP (.xlsx/.csv). Keluar dengan kode 0 bila berhasil, "
        "1 bila ada baris yang ditolak."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="impor baris yang benar saja (bawaan: satu baris salah menolak seluruh berkas)",
        )
        parser.add_argument(
            "--rejected-out", type=Path, help="tulis baris yang ditolak ke XLSX ini"
        )
        parser.add_argument(
            "--user", help="nama pengguna yang tercatat di riwayat (bawaan: pengguna sistem)"
        )

    def handle(self, *args, file: Path, valid_only, rejected_out, user, **options):
        actor = self._actor(user)
        try:
            # Read row by row while importing: memory does not grow with the file.
            table = Workbook(file.read_bytes(), file.name).stream(HEADER_ROW)
        except OSError as exc:
            why = _UNREADABLE.get(type(exc), "tidak dapat dibaca")
            raise CommandError(f"Berkas {file} {why}.") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        with tqdm(unit="baris", disable=options["verbosity"] == 0) as bar:
            report = resident_import(
                table=table,
                actor=actor,
                valid_only=valid_only,
                source_name=file.name,
                progress=bar.update,
            )
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            object_repr="penduduk",
            detail={
                "model": "registry.resident",
                "file": file.name,
                "applied": report.applied,
                "created": len(report.created),
                "updated": len(report.updated),
                "unchanged": report.unchanged,
                "rejected": len(report.rejected),
            },
        )
        if report.file_problems:
            raise CommandError(" ".join(report.file_problems))
        if report.ignored_headers:
            self.stderr.write(f"Kolom diabaikan: {', '.join(report.ignored_headers)}")
        for row in report.rejected:
            self.stderr.write(f"Baris {row.number}: {row.reason}")
        if rejected_out and report.rejected:
            with rejected_out.open("wb") as fh:
                for chunk in rejected_rows_xlsx(report):
                    fh.write(chunk)
            self.stderr.write(f"Baris yang ditolak ditulis ke {rejected_out}")
        counts = (
            f"{grouped(len(report.created))} baru, {grouped(len(report.updated))} diperbarui, "
            f"{grouped(report.unchanged)} tidak berubah"
        )
        review = f"{grouped(len(report.flagged))} NIK perlu ditinjau"
        if report.applied:
            self.stdout.write(
                f"Diimpor: {counts}, {grouped(len(report.rejected))} ditolak, {review}."
            )
        else:
            self.stdout.write(
                f"TIDAK ADA YANG DIIMPOR: {grouped(len(report.rejected))} baris ditolak. Tanpa "
                f"baris itu, impor ini akan menghasilkan {counts} ({review}). Perbaiki barisnya "
                "lalu impor ulang, atau jalankan dengan --valid-only."
            )
        if report.rejected:
            raise SystemExit(1)

    def _actor(self, username):
        if not username:
            return system_user()
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Pengguna '{username}' tidak ada.") from None


_UNREADABLE = {
    FileNotFoundError: "tidak ditemukan",
    IsADirectoryError: "adalah folder, bukan berkas",
    PermissionError: "tidak boleh dibaca (izin berkas)",
}
