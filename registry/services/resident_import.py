"""Importing SIAK/BIP spreadsheets into the resident register, set-based and all-or-nothing.

The file is read a chunk of rows at a time; each chunk is validated and its rows copied into
a temporary staging table, so memory does not grow with the file. The database then does
the rest in a fixed number of statements: repeated NIKs, the comparison with the register,
new residents (INSERT … SELECT), changed ones (one UPDATE … FROM), history for exactly those,
the SIAK backlog. Unchanged rows cost no write.

A file is first planned (read, validated, compared with the register) without writing;
applying plans again inside one transaction under an import lock, so two clerks importing at
once cannot both insert the same NIK. By default one bad row stops the whole file; with
``valid_only`` the good rows go in and the rejected ones come back as a file to fix.
"""

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

from dukcapil.bulk import ids_in
from dukcapil.locks import advisory_lock
from dukcapil.sheet_writer import stream_xlsx
from dukcapil.spreadsheets import RowStream, SpreadsheetError, Table
from registry.models import LifeStatus, Nationality, Resident
from registry.nik import nik_review_note, parse_nik
from registry.services.residents import (
    CHANGED,
    NEW,
    residents_insert_staged,
    residents_update_staged,
)
from registry.services.siak_load import applications_load_from_siak
from registry.siak import (
    COLUMNS,
    REGION_HEADERS,
    REQUIRED_HEADERS,
    VILLAGE_HEADERS,
    CellError,
    SiakTable,
    VillageLookup,
    siak_table,
)

_VILLAGE_MISSING = f"KODE_KEL atau NAMA_KEL (atau {', '.join(REGION_HEADERS)})"

REASON_HEADER = "ALASAN_DITOLAK"
ROW_HEADER = "BARIS_ASAL"
CHUNK_ROWS = 5000  # rows read, checked and staged at a time: what memory holds of the file
PREVIEW_ROWS = 50  # rows kept of each kind (new, changed, flagged) for the preview
STAGE = "resident_import_rows"
UNCHANGED = "s"
# A column's parsed cells are remembered (most columns repeat a few values) up to this many.
_MEMO_LIMIT = 1000
_DEFAULTS = {
    "occupation": "",
    "phone": "",
    "nationality": Nationality.CITIZEN,
    "life_status": LifeStatus.ALIVE,
    "siak_record_status": None,
}
_FIELDS = {f.attname: f for f in Resident._meta.concrete_fields}


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


class Sample:
    """How many there are, and the first PREVIEW_ROWS of them: ``len()`` is the full count."""

    def __init__(self, total: int = 0, first: list | None = None):
        self.total = total
        self.first = first or []

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator:
        return iter(self.first)

    def __getitem__(self, index):
        return self.first[index]

    def __eq__(self, other) -> bool:
        if not isinstance(other, list | tuple | Sample):
            return NotImplemented
        return len(other) == self.total and list(other) == self.first

    def __repr__(self) -> str:
        return f"Sample({self.total}, {self.first!r})"


@dataclass
class ResidentImportReport:
    headers: list[str]
    file_problems: list[str] = field(default_factory=list)
    created: Sample = field(default_factory=Sample)  # field values of the new residents
    updated: Sample = field(default_factory=Sample)  # new field values of changed residents
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    flagged: Sample = field(default_factory=Sample)  # (row number, review note)
    ignored_headers: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # the Resident fields the file carries
    applications_loaded: int = 0  # backlog states taken over from STAT_RKM
    applied: bool = False


def resident_import(
    *,
    table: Table | RowStream,
    actor: AbstractBaseUser | None,
    valid_only: bool = False,
    dry_run: bool = False,
    source_name: str = "",
    progress: Callable[[int], object] | None = None,
) -> ResidentImportReport:
    """Import residents from a SIAK/BIP table; see the module docstring for the rules.

    ``table`` may be a RowStream, read row by row. ``progress`` is called with the number of
    rows checked since its last call.
    """
    try:
        with transaction.atomic():
            if not dry_run:
                _lock_imports()
            report, staged = _plan(table, progress)
            writable = not report.file_problems and (valid_only or not report.rejected)
            if staged and writable and not dry_run:
                _apply(report, actor=actor, reason=f"Impor {source_name}".strip())
            if staged:
                _drop_stage()
    except SpreadsheetError as exc:  # found while reading on, e.g. past the row limit
        return ResidentImportReport(headers=list(table.headers), file_problems=exc.messages)
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


def _fields_in(headers: list[str]) -> list[str]:
    present = set(headers)
    fields = [c.field for c in COLUMNS if c.field and c.header in present]
    if present & set(VILLAGE_HEADERS):
        fields.append("village_id")
    return fields


def _plan(file: Table | RowStream, progress) -> tuple[ResidentImportReport, bool]:
    """The report of what importing would do, and whether the staging table was made."""
    siak = siak_table(file)
    report = ResidentImportReport(headers=list(file.headers), ignored_headers=siak.ignored)
    report.fields = _fields_in(siak.headers)
    missing = [h for h in REQUIRED_HEADERS if h not in siak.headers]
    if not set(VILLAGE_HEADERS) & set(siak.headers):
        missing.append(_VILLAGE_MISSING)
    if missing:
        report.file_problems.append("Kolom wajib tidak ada: " + ", ".join(missing) + ".")
        return report, False
    _create_stage(report.fields)
    read, valid, swapped = _stage_rows(siak, report, progress)
    if not read:
        report.file_problems.append("Berkas tidak berisi baris data.")
    elif swapped * 2 > valid:
        report.file_problems.append(
            "Tanggal lahir tampaknya ditulis bulan dulu (BB-HH-TTTT): pada sebagian besar baris "
            "tanggal lahir baru cocok dengan NIK setelah hari dan bulan ditukar. Tulis tanggal "
            "sebagai HH-BB-TTTT (mis. 27-01-1990) lalu impor ulang."
        )
    else:
        _reject_repeated_niks(siak, report)
        report.rejected.sort(key=lambda r: r.number)
        # Only rows that will be imported: a rejected row is listed among the rejected alone.
        report.flagged = _sample(
            "row_number, nik_review_note", "valid AND nik_review_note <> ''", tuple
        )
        _compare_with_register(report)
    return report, True


def _stage_rows(siak: SiakTable, report: ResidentImportReport, progress) -> tuple[int, int, int]:
    """Check every row and copy it into the staging table, a chunk at a time.

    A rejected row is staged with its NIK as written, so a valid twin of it is caught.
    Returns (rows read, valid rows, valid rows whose date agrees with the NIK only with day
    and month swapped).
    """
    headers = siak.headers
    columns = [(headers.index(c.header), c, {}) for c in COLUMNS if c.header in headers]
    nik_at, nik_field = headers.index("NIK"), 2 + report.fields.index("nik")
    width = 5 + len(report.fields)
    villages = VillageLookup()
    read = valid = swapped = 0
    records = siak.records()
    while chunk := list(itertools.islice(records, CHUNK_ROWS)):
        staged = []
        for number, cells, unusable in chunk:
            values, problems = _parse(cells, unusable, columns, villages, siak.labels)
            if problems:
                report.rejected.append(RejectedRow(number, cells, problems))
                row = [number, False, *[None] * (width - 2)]
                row[nik_field] = str(cells[nik_at]).strip()
                staged.append(row)
                continue
            note = nik_review_note(
                values["nik"], birth_date=values["birth_date"], sex=values["sex"]
            )
            swapped += bool(note) and _month_first(values)
            staged.append([number, True, *(values[f] for f in report.fields), note, None, None])
        valid += sum(row[1] for row in staged)
        read += len(chunk)
        _copy_into_stage(staged)
        if progress:
            progress(len(chunk))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {STAGE}")  # temporary tables are never auto-analysed
    return read, valid, swapped


def _parse(cells, unusable, columns, villages: VillageLookup, labels):
    """(field values, problems) of one row."""
    values, place = {}, {}
    unusable = dict(unusable)
    problems = [Problem(labels[h], m) for h, m in unusable.items()]
    for index, column, outcomes in columns:
        if column.header in unusable:
            continue
        cell = cells[index]
        try:
            value = outcomes[cell]
        except KeyError:
            value = _outcome(column.parse, cell)
            if len(outcomes) < _MEMO_LIMIT:
                outcomes[cell] = value
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
    return values, problems


def _month_first(values: dict) -> bool:
    """Whether the birth date agrees with the NIK only with day and month swapped."""
    born = values["birth_date"]
    nik = parse_nik(values["nik"])
    if born in nik.birth_dates or born.day > 12:
        return False
    return born.replace(month=born.day, day=born.month) in nik.birth_dates


def _outcome(parse, cell):
    try:
        return parse(cell)
    except CellError as exc:
        return exc


def _create_stage(fields: list[str]) -> None:
    types = {name: _FIELDS[name].db_type(connection) for name in fields} | {"nik": "text"}
    columns = [
        "row_number integer",
        "valid boolean",
        *(f"{name} {types[name]}" for name in fields),
        f"nik_review_note {_FIELDS['nik_review_note'].db_type(connection)}",
        "resident_id bigint",
        "action varchar(1)",
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({', '.join(columns)})")


def _drop_stage() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {STAGE}")


def _copy_into_stage(rows: list[list]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {STAGE} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(rows[0]))
            cursor.executemany(f"INSERT INTO {STAGE} VALUES ({marks})", rows)


def _reject_repeated_niks(siak: SiakTable, report: ResidentImportReport) -> None:
    # Which of two rows with one NIK is the real person cannot be known: both are refused.
    # Rows rejected for other reasons still count, so a broken twin does not hide the clash.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nik, row_number, valid FROM {STAGE} WHERE nik IN (SELECT nik FROM {STAGE} "
            "WHERE nik <> '' GROUP BY nik HAVING COUNT(*) > 1 "
            "AND SUM(CASE WHEN valid THEN 1 ELSE 0 END) > 0) ORDER BY row_number"
        )
        found = cursor.fetchall()
    if not found:
        return
    numbers_by_nik = defaultdict(list)
    for nik, number, _ in found:
        numbers_by_nik[nik].append(number)
    twins = {number: nik for nik, number, valid in found if valid}
    with connection.cursor() as cursor:
        where, params = ids_in("row_number", list(twins))
        cursor.execute(f"UPDATE {STAGE} SET valid = FALSE WHERE {where}", params)
    # The cells were not kept: the file is read again, up to the last of these few rows.
    last = max(twins)
    for number, cells, _ in siak.records():
        if number > last:
            break
        if number in twins:
            others = ", ".join(str(n) for n in numbers_by_nik[twins[number]] if n != number)
            message = (
                f"NIK yang sama juga ada di baris {others}; tidak dapat dipastikan mana yang benar."
            )
            report.rejected.append(RejectedRow(number, cells, [Problem("NIK", message)]))


def _compare_with_register(report: ResidentImportReport) -> None:
    compared = [*report.fields, "nik_review_note"]
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    changed = " OR ".join(f"{STAGE}.{name} {differs} r.{name}" for name in compared)
    resident = connection.ops.quote_name(Resident._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {STAGE} SET resident_id = r.id, "
            f"action = CASE WHEN {changed} THEN %s ELSE %s END "
            f"FROM {resident} r WHERE r.nik = {STAGE}.nik AND {STAGE}.valid",
            [CHANGED, UNCHANGED],
        )
        cursor.execute(f"UPDATE {STAGE} SET action = %s WHERE valid AND resident_id IS NULL", [NEW])
        cursor.execute(f"SELECT action, COUNT(*) FROM {STAGE} WHERE valid GROUP BY action")
        counts = dict(cursor.fetchall())
    report.unchanged = counts.get(UNCHANGED, 0)
    names = [*report.fields, "nik_review_note"]

    def values(row) -> dict:
        return {
            name: _FIELDS[name].to_python(value) for name, value in zip(names, row, strict=True)
        }

    selected = ", ".join(names)
    report.created = _sample(
        selected, f"action = '{NEW}'", lambda row: _DEFAULTS | values(row), counts.get(NEW, 0)
    )
    report.updated = _sample(selected, f"action = '{CHANGED}'", values, counts.get(CHANGED, 0))


def _sample(columns: str, where: str, make: Callable, total: int | None = None) -> Sample:
    """The count of the staged rows ``where`` holds, and the first of them made into items.

    A ``total`` already counted is taken as it is; otherwise the rows are counted with them.
    """
    window = "" if total is not None else ", COUNT(*) OVER ()"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}{window} FROM {STAGE} WHERE {where} "
            f"ORDER BY row_number LIMIT {PREVIEW_ROWS}"
        )
        rows = cursor.fetchall()
    if total is not None:
        return Sample(total, [make(row) for row in rows])
    return Sample(rows[0][-1] if rows else 0, [make(row[:-1]) for row in rows])


def _apply(report: ResidentImportReport, *, actor, reason: str) -> None:
    fields = [*report.fields, "nik_review_note"]
    residents_insert_staged(table=STAGE, fields=fields, actor=actor, reason=reason)
    changed = [name for name in fields if name != "nik"]
    residents_update_staged(table=STAGE, fields=changed, actor=actor, reason=reason)
    report.applications_loaded = applications_load_from_siak(
        residents_sql=f"SELECT resident_id FROM {STAGE} WHERE action IN ('{NEW}', '{CHANGED}')",
        actor=actor,
    )
    report.applied = True
