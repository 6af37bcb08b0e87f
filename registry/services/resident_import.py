"""Importing SIAK/BIP spreadsheets into the resident register, set-based and all-or-nothing.

A file is first planned (parsed, validated, compared with the register) without writing;
applying re-plans inside one transaction under an import lock, so two clerks importing at
once cannot both insert the same NIK. By default one bad row stops the whole file; with
``valid_only`` the good rows go in and the rejected ones come back as a file to fix.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

from dukcapil.locks import advisory_lock
from dukcapil.sheet_writer import stream_xlsx
from dukcapil.spreadsheets import Table
from registry.models import LifeStatus, Nationality, Resident
from registry.nik import nik_review_note, parse_nik
from registry.services.residents import residents_insert, residents_update
from registry.services.siak_load import applications_load_from_siak
from registry.siak import (
    COLUMNS,
    REGION_HEADERS,
    REQUIRED_HEADERS,
    VILLAGE_HEADERS,
    CellError,
    VillageLookup,
    siak_table,
)

_VILLAGE_MISSING = f"KODE_KEL atau NAMA_KEL (atau {', '.join(REGION_HEADERS)})"

REASON_HEADER = "ALASAN_DITOLAK"
ROW_HEADER = "BARIS_ASAL"
_LOOKUP_BATCH = 5000
_PROGRESS_STEP = 1000
_DEFAULTS = {
    "occupation": "",
    "phone": "",
    "nationality": Nationality.CITIZEN,
    "life_status": LifeStatus.ALIVE,
    "siak_record_status": None,
}


@dataclass
class Problem:
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.column}: {self.message}"


@dataclass
class RejectedRow:
    number: int
    cells: list
    problems: list[Problem]

    @property
    def reason(self) -> str:
        return "; ".join(str(p) for p in self.problems)


@dataclass
class ResidentImportReport:
    headers: list[str]
    file_problems: list[str] = field(default_factory=list)
    created: list[dict] = field(default_factory=list)  # field values of the new residents
    updated: list[Resident] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    flagged: list[tuple[int, str]] = field(default_factory=list)  # (row number, review note)
    ignored_headers: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # the Resident fields the file carries
    applications_loaded: int = 0  # backlog states taken over from STAT_RKM
    applied: bool = False

    @property
    def can_apply(self) -> bool:
        return not self.file_problems and (self.created or self.updated)


@dataclass
class _ParsedRow:
    number: int
    cells: list
    values: dict


def resident_import(
    *,
    table: Table,
    actor: AbstractBaseUser | None,
    valid_only: bool = False,
    dry_run: bool = False,
    source_name: str = "",
    progress: Callable[[int], object] | None = None,
) -> ResidentImportReport:
    """Import residents from a SIAK/BIP table; see the module docstring for the rules.

    ``progress`` is called with the number of rows checked since its last call.
    """
    if dry_run:
        return _plan(table, progress=progress)
    with transaction.atomic():
        _lock_imports()
        report = _plan(table, lock_changed=True, progress=progress)
        if report.file_problems or (report.rejected and not valid_only):
            return report
        reason = f"Impor {source_name}".strip()
        created_ids = residents_insert(rows=report.created, actor=actor, reason=reason)
        residents_update(residents=report.updated, fields=report.fields, actor=actor, reason=reason)
        report.applications_loaded = applications_load_from_siak(
            resident_ids=[*created_ids, *(r.pk for r in report.updated)], actor=actor
        )
        report.applied = True
        return report


def rejected_rows_xlsx(report: ResidentImportReport) -> Iterator[bytes]:
    """The rejected rows as they were, plus the reason, to fix and import again."""
    headers = [*report.headers, ROW_HEADER, REASON_HEADER]
    # A KODE_KEL built from the region numbers stays out: the clerk fixes the numbers.
    width = len(report.headers)
    rows = ([*r.cells[:width], r.number, r.reason] for r in report.rejected)
    return stream_xlsx(headers, rows, sheet_name="Baris ditolak")


def _lock_imports() -> None:
    # Serialise imports: planning sees every NIK a concurrent import committed before it.
    advisory_lock("registry.resident_import")


def _fields_in(table: Table) -> list[str]:
    present = set(table.headers)
    fields = [c.field for c in COLUMNS if c.field and c.header in present]
    if present & set(VILLAGE_HEADERS):
        fields.append("village_id")
    return fields


def _plan(file: Table, *, lock_changed: bool = False, progress=None) -> ResidentImportReport:
    siak = siak_table(file)
    table = siak.table
    report = ResidentImportReport(headers=list(file.headers), ignored_headers=siak.ignored)
    report.fields = _fields_in(table)
    missing = [h for h in REQUIRED_HEADERS if h not in table.headers]
    if not set(VILLAGE_HEADERS) & set(table.headers):
        missing.append(_VILLAGE_MISSING)
    if missing:
        report.file_problems.append("Kolom wajib tidak ada: " + ", ".join(missing) + ".")
        return report
    if not table.rows:
        report.file_problems.append("Berkas tidak berisi baris data.")
        return report

    parsed = _parse_rows(table, siak.labels, report, progress)
    if _month_first(parsed):
        report.file_problems.append(
            "Tanggal lahir tampaknya ditulis bulan dulu (BB-HH-TTTT): pada sebagian besar baris "
            "tanggal lahir baru cocok dengan NIK setelah hari dan bulan ditukar. Tulis tanggal "
            "sebagai HH-BB-TTTT (mis. 27-01-1990) lalu impor ulang."
        )
        return report
    _reject_repeated_niks(parsed, report)
    report.rejected.sort(key=lambda r: r.number)
    # Only rows that will be imported: a rejected row is listed among the rejected alone.
    report.flagged = [(r.number, note) for r in parsed if (note := r.values["nik_review_note"])]
    _compare_with_register(parsed, report.fields, report, lock_changed=lock_changed)
    return report


def _parse_rows(
    table: Table, labels: dict[str, str], report: ResidentImportReport, progress
) -> list[_ParsedRow]:
    # Most columns repeat a handful of values (sex, religion, kelurahan, RT…): each distinct
    # cell is parsed once per column and the outcome (value or error) reused.
    columns = [(table.headers.index(c.header), c, {}) for c in COLUMNS if c.header in table.headers]
    villages = VillageLookup()
    parsed = []
    for position, (number, cells) in enumerate(zip(table.row_numbers, table.rows, strict=True)):
        if progress and position % _PROGRESS_STEP == 0 and position:
            progress(_PROGRESS_STEP)
        values, place = {}, {}
        unusable = dict(table.cell_problems.get(number, ()))
        problems = [Problem(labels[h], m) for h, m in unusable.items()]
        for index, column, outcomes in columns:
            if column.header in unusable:
                continue
            cell = cells[index]
            try:
                value = outcomes[cell]
            except KeyError:
                value = outcomes[cell] = _outcome(column.parse, cell)
            except TypeError:  # an unhashable cell
                value = _outcome(column.parse, cell)
            if type(value) is CellError:
                problems.append(Problem(labels[column.header], str(value)))
                continue
            if column.field:
                values[column.field] = value
            else:
                place[column.header] = value
        if not problems:
            try:
                values["village_id"] = villages.resolve(
                    place.get("KODE_KEL", ""), place.get("NAMA_KEL", ""), place.get("NAMA_KEC", "")
                )
            except CellError as exc:
                problems.append(Problem(labels.get("KODE_KEL") or labels["NAMA_KEL"], str(exc)))
        if problems:
            report.rejected.append(RejectedRow(number, cells, problems))
            continue
        note = nik_review_note(values["nik"], birth_date=values["birth_date"], sex=values["sex"])
        values["nik_review_note"] = note
        parsed.append(_ParsedRow(number, cells, values))
    if progress:
        progress(len(table.rows) % _PROGRESS_STEP or _PROGRESS_STEP)
    return parsed


def _month_first(parsed: list[_ParsedRow]) -> bool:
    """Whether most birth dates agree with their NIK only with day and month swapped."""
    swapped = 0
    for row in parsed:
        born = row.values["birth_date"]
        nik = parse_nik(row.values["nik"])
        if born in nik.birth_dates or born.day > 12:
            continue
        if born.replace(month=born.day, day=born.month) in nik.birth_dates:
            swapped += 1
    return swapped * 2 > len(parsed)


def _outcome(parse, cell):
    try:
        return parse(cell)
    except CellError as exc:
        return exc


def _reject_repeated_niks(parsed: list[_ParsedRow], report: ResidentImportReport) -> None:
    # Which of two rows with one NIK is the real person cannot be known: both are refused.
    # Rows rejected for other reasons still count, so a broken twin does not hide the clash.
    rows_by_nik = defaultdict(list)
    for row in parsed:
        rows_by_nik[row.values["nik"]].append(row.number)
    for rejected in report.rejected:
        nik = str(rejected.cells[report.headers.index("NIK")]).strip()
        if nik in rows_by_nik:
            rows_by_nik[nik].append(rejected.number)
    repeated = {nik: numbers for nik, numbers in rows_by_nik.items() if len(numbers) > 1}
    if not repeated:
        return
    kept = []
    for row in parsed:
        numbers = repeated.get(row.values["nik"])
        if numbers is None:
            kept.append(row)
            continue
        others = ", ".join(str(n) for n in sorted(numbers) if n != row.number)
        message = (
            f"NIK yang sama juga ada di baris {others}; tidak dapat dipastikan mana yang benar."
        )
        report.rejected.append(RejectedRow(row.number, row.cells, [Problem("NIK", message)]))
    parsed[:] = kept


def _compare_with_register(
    parsed: list[_ParsedRow], fields: list[str], report: ResidentImportReport, *, lock_changed
) -> None:
    compared = [*fields, "nik_review_note"]
    existing = {}
    niks = [row.values["nik"] for row in parsed]
    for start in range(0, len(niks), _LOOKUP_BATCH):
        for pk, nik, *current in _registered(niks[start : start + _LOOKUP_BATCH], compared):
            existing[nik] = (pk, current)
    changed = {}
    for row in parsed:
        match = existing.get(row.values["nik"])
        if match is None:
            report.created.append(_DEFAULTS | row.values)
        elif [row.values[name] for name in compared] != match[1]:
            changed[match[0]] = row.values
        else:
            report.unchanged += 1
    residents = Resident.objects.filter(pk__in=changed).order_by("pk")
    if lock_changed:
        residents = residents.select_for_update()
    for resident in residents:
        for name, value in changed[resident.pk].items():
            setattr(resident, name, value)
        report.updated.append(resident)


def _registered(niks: list[str], fields: list[str]):
    """(pk, nik, *fields) of the registered residents among ``niks``."""
    queryset = Resident.objects.values_list("pk", "nik", *fields)
    if connection.vendor != "postgresql":
        return queryset.filter(nik__in=niks)
    # One array parameter instead of thousands of placeholders, which the driver must split.
    return queryset.extra(where=["registry_resident.nik = ANY(%s)"], params=[niks])
