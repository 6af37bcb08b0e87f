"""A result sheet from the central system: NIK and status (PRR, DUPLIKAT, GAGAL REKAM…).

All or nothing: every row is checked first, every bad row is reported with its number,
column and reason, and only a sheet without errors changes anything.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dukcapil.locks import locked
from dukcapil.spreadsheets import Table
from registry.models import OPEN_STATUSES, ApplicationStatus, CardApplication
from registry.services.recording import CENTRAL_RESULTS, central_result_check
from registry.services.transitions import move_require, transitions_bulk
from registry.siak import CellError, parse_nik_cell

NIK_HEADER, STATUS_HEADER = "NIK", "STATUS"


@dataclass
class RowProblem:
    number: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Baris {self.number}, kolom {self.column}: {self.message}"


@dataclass
class CentralResultsReport:
    problems: list[RowProblem] = field(default_factory=list)
    outcome: Counter = field(default_factory=Counter)  # to-status label → rows
    unchanged: int = 0  # rows whose application already has that status (a sheet sent twice)
    applied: bool = False


def central_results_import(
    *, table: Table, actor: AbstractBaseUser, dry_run: bool = False
) -> CentralResultsReport:
    """Check (and unless ``dry_run`` or anything is wrong, apply) a central result sheet."""
    if not actor.has_perm("registry.record_biometrics"):
        raise PermissionDenied("Anda tidak berwenang memasukkan hasil dari pusat.")
    headers = [h.strip().upper() for h in table.headers]
    missing = [h for h in (NIK_HEADER, STATUS_HEADER) if h not in headers]
    if missing:
        raise ValidationError(f"Kolom wajib tidak ada: {', '.join(missing)}.")
    report = CentralResultsReport()
    rows = _parse(table, headers.index(NIK_HEADER), headers.index(STATUS_HEADER), report)
    with transaction.atomic():
        applications = {
            a.resident.nik: a
            for a in locked(
                CardApplication.objects.select_related("resident")
                .filter(resident__nik__in=[nik for _, nik, _ in rows], status__in=OPEN_STATUSES)
                .order_by("pk")
            )
        }
        moves = []
        for number, nik, to_status in rows:
            application = applications.get(nik)
            if application is None:
                report.problems.append(
                    RowProblem(number, NIK_HEADER, "Tidak ada permohonan berjalan untuk NIK ini.")
                )
                continue
            if application.status == to_status:
                report.unchanged += 1
                continue
            try:
                central_result_check(application, to_status)
                move_require(application, to_status, actor)
            except ValidationError as exc:
                report.problems.append(RowProblem(number, STATUS_HEADER, " ".join(exc.messages)))
                continue
            moves.append((application, to_status))
            report.outcome[ApplicationStatus(to_status).label] += 1
        report.problems.sort(key=lambda p: p.number)
        if report.problems or dry_run or not moves:
            return report
        transitions_bulk(moves, actor=actor, note="Hasil dari pusat (impor)")
        report.applied = True
    return report


def _parse(table: Table, nik_at: int, status_at: int, report: CentralResultsReport):
    rows, seen = [], Counter()
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        word = " ".join(str(cells[status_at] or "").split()).upper()
        try:
            # Refuses a NIK Excel stored as a number: its last digit may be another person's.
            nik = parse_nik_cell(cells[nik_at])
        except CellError as exc:
            report.problems.append(RowProblem(number, NIK_HEADER, str(exc)))
            continue
        if word not in CENTRAL_RESULTS:
            report.problems.append(
                RowProblem(
                    number,
                    STATUS_HEADER,
                    f"Status “{word}” tidak dikenal; gunakan {', '.join(CENTRAL_RESULTS)}.",
                )
            )
            continue
        rows.append((number, nik, CENTRAL_RESULTS[word]))
        seen[nik] += 1
    # A NIK listed twice cannot be trusted either way.
    twice = {nik for nik, n in seen.items() if n > 1}
    for number, nik, _ in rows:
        if nik in twice:
            report.problems.append(
                RowProblem(number, NIK_HEADER, "NIK ini muncul lebih dari sekali.")
            )
    return [row for row in rows if row[1] not in twice]
