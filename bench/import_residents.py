"""Resident import speed: this project against a fair django-import-export baseline and COPY.

    DATABASE_URL=postgres://root@127.0.0.1:5432/dukcapil_bench_imp \\
        .venv/bin/python bench/import_residents.py --rows 40000
    DATABASE_URL=… .venv/bin/python bench/import_residents.py --reimport

Fresh import (default): a realistic SIAK/BIP file (XLSX with real date cells, and CSV; about
2% bad rows) into an empty register, through
  project    the admin's confirm step (ResidentResource.import_data, valid rows only)
  baseline   django-import-export tuned fairly: bulk mode, the project's own validators as
             widgets, the same rows rejected (twin NIKs too), kelurahan from a dict, history
             by simple-history's bulk_create_with_history, the SIAK backlog by bulk_create,
             the file read by the project's reader (the comparison is about the engine)
  floor      the fastest reader + a plain COPY of the rows the project stores, no checks
Every path is checked for the rows it saved (count and a digest of their NIKs, history and
backlog rows): a path that saved a different set is reported as such, never as a ratio.
Peak memory is each path's growth of the process's resident set, run once in a fork.

Re-import (--reimport): a register of --register residents (seeded with generate_series),
and a file of --changed residents whose address changed plus --unchanged ones as they are:
the periodic SIAK refresh. The library baseline (bulk_update with history) runs a sample of
--baseline-rows changed rows; rows/s is compared.
"""

import argparse
import csv
import datetime as dt
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

# The project, not bench/, first on the path: bench/queue.py must not stand in for the stdlib's.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
from bench._measure import interleaved, load_average  # noqa: E402
from bench._setup import ROOT, django_on_postgres  # noqa: E402

django_on_postgres()

import openpyxl  # noqa: E402
import tablib  # noqa: E402
from django.db import connection, connections  # noqa: E402
from import_export import resources, widgets  # noqa: E402
from import_export.fields import Field  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402
from simple_history.utils import bulk_create_with_history, bulk_update_with_history  # noqa: E402

from dukcapil.accounts import system_user  # noqa: E402
from dukcapil.import_formats import CsvFormat, XlsxFormat  # noqa: E402
from dukcapil.spreadsheets import Workbook  # noqa: E402
from registry.demo import generate_residents  # noqa: E402
from registry.models import (  # noqa: E402
    CLOSED_STATUSES,
    ApplicationEvent,
    ApplicationKind,
    CardApplication,
    Resident,
    Village,
)
from registry.nik import nik_review_note  # noqa: E402
from registry.resources import ResidentResource  # noqa: E402
from registry.services.resident_import import resident_import  # noqa: E402
from registry.services.siak_load import NOTE, SIAK_STATES  # noqa: E402
from registry.siak import COLUMNS, HEADER_ROW, CellError, VillageLookup  # noqa: E402

SIAK_HEADERS = [c.header for c in COLUMNS][:17]
# What the floor copies.
COPIED = [f.attname for f in Resident._meta.concrete_fields if not f.primary_key]


def siak_rows(count: int, seed: int = 7) -> list[list]:
    """Rows as SIAK exports them, with about 2% of the kinds of mistakes clerks send."""
    villages = list(Village.objects.select_related("district"))
    by_pk = {v.pk: v for v in villages}
    rng = random.Random(seed)
    rows = []
    for r in generate_residents(count, seed=seed, villages=villages):
        rows.append(as_siak_row(r, by_pk[r.village_id]))
    spoilers = [
        lambda row: row.__setitem__(0, row[0][:6] + "3102" + row[0][10:]),  # 31 February
        lambda row: row.__setitem__(2, ""),
        lambda row: row.__setitem__(11, "RT1"),
        lambda row: row.__setitem__(13, "5371999999"),
        lambda row: row.__setitem__(0, rows[0][0]),  # a NIK twice in one file
    ]
    for index in rng.sample(range(1, count), count // 50):
        rng.choice(spoilers)(rows[index])
    return rows


def as_siak_row(r: Resident, village: Village, *, address: str | None = None) -> list:
    """A resident as SIAK exports it (``address`` instead of theirs, when given)."""
    return [
        r.nik,
        r.kk_number,
        r.full_name,
        r.birth_place,
        r.birth_date,
        "LAKI-LAKI" if r.sex == "L" else "PEREMPUAN",
        r.get_blood_type_display(),
        r.get_religion_display(),
        r.get_marital_status_display(),
        r.occupation,
        r.address if address is None else address,
        r.rt,
        r.rw,
        village.code.replace(".", ""),
        village.name.upper(),
        village.district.name.upper(),
        r.siak_record_status or "",
    ]


def write_xlsx(rows) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("BIP")
    sheet.append(SIAK_HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(SIAK_HEADERS)
    for row in rows:
        writer.writerow([f"{c:%d-%m-%Y}" if isinstance(c, dt.date) else c for c in row])
    return buffer.getvalue().encode("utf-8")


def empty_register() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE registry_resident, registry_historicalresident, registry_cardapplication, "
            "registry_applicationevent RESTART IDENTITY CASCADE"
        )


def saved() -> tuple:
    """What a path stored: residents, a digest of their NIKs, history rows, backlog rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), md5(COALESCE(string_agg(nik, ',' ORDER BY nik), '')), "
            "(SELECT COUNT(*) FROM registry_historicalresident), "
            "(SELECT COUNT(*) FROM registry_cardapplication), "
            "(SELECT COUNT(*) FROM registry_applicationevent) FROM registry_resident"
        )
        return cursor.fetchone()


# --- the fair django-import-export baseline -------------------------------------------------


class _Parsed(widgets.Widget):
    """A SIAK column through the project's own parser: same values, same rows refused."""

    def __init__(self, parse):
        self.parse = parse

    def clean(self, value, row=None, **kwargs):
        try:
            return self.parse(value)
        except CellError as exc:
            raise ValueError(str(exc)) from None


class _Village(widgets.Widget):
    """The kelurahan from KODE_KEL/NAMA_KEL/NAMA_KEC, looked up in memory (no query a row)."""

    def __init__(self):
        self.lookup = VillageLookup()
        self.text = _Parsed(COLUMNS[14].parse)

    def clean(self, value, row=None, **kwargs):
        code = COLUMNS[13].parse(value)
        try:
            return self.lookup.resolve(code, self.text.clean(row["NAMA_KEL"]), "")
        except CellError as exc:
            raise ValueError(str(exc)) from None


class _Nik(_Parsed):
    twins: set = frozenset()

    def clean(self, value, row=None, **kwargs):
        nik = super().clean(value)
        if nik in self.twins:
            raise ValueError("NIK yang sama juga ada di baris lain.")
        return nik


class _FairBase(resources.ModelResource):
    """django-import-export with its bulk mode and the project's rules, as cheap as it goes."""

    def __init__(self, *, actor, existing=None):
        super().__init__()
        self.actor = actor
        self.existing = existing  # NIK → resident, fetched once (re-import); None: all new
        self.created = []

    class Meta:
        model = Resident
        import_id_fields = ["nik"]
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        clean_model_instances = False  # the widgets ran the project's validators already

    def before_import(self, dataset, **kwargs):
        # The project refuses every row of a NIK that appears twice, broken twins included.
        seen, twins = set(), set()
        for nik in dataset["NIK"]:
            text = str(nik).strip()
            (twins if text in seen else seen).add(text)
        self.fields["nik"].widget.twins = twins

    def get_instance(self, instance_loader, row):
        if self.existing is None:
            return None
        return self.existing.get(str(row["NIK"]).strip())

    def before_save_instance(self, instance, row, **kwargs):
        instance.nik_review_note = nik_review_note(
            instance.nik, birth_date=instance.birth_date, sex=instance.sex
        )
        instance.updated_at = dt.datetime.now(dt.UTC)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        created = bulk_create_with_history(
            self.create_instances,
            Resident,
            batch_size=batch_size,
            default_user=self.actor,
            default_change_reason="Impor bench",
        )
        self.created.extend(created)
        self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        bulk_update_with_history(
            self.update_instances,
            Resident,
            [*self.get_bulk_update_fields(), "nik_review_note", "updated_at"],
            batch_size=batch_size,
            default_user=self.actor,
            default_change_reason="Impor bench",
        )
        self.update_instances.clear()

    def get_bulk_update_fields(self):
        return [self.fields[name].attribute for name in self.fields if name != "nik"]

    def after_import(self, dataset, result, **kwargs):
        # The SIAK backlog as model instances in bulk: the cheapest the ORM allows.
        now = dt.datetime.now(dt.UTC)
        applications = CardApplication.objects.bulk_create(
            [
                CardApplication(
                    resident_id=r.pk,
                    kind=ApplicationKind.NEW,
                    status=SIAK_STATES[r.siak_record_status],
                    loaded_from_siak=True,
                    submitted_by=self.actor,
                    submitted_at=now,
                    closed_at=now if SIAK_STATES[r.siak_record_status] in CLOSED_STATUSES else None,
                )
                for r in self.created
                if r.siak_record_status in SIAK_STATES
            ],
            batch_size=2000,
        )
        ApplicationEvent.objects.bulk_create(
            [
                ApplicationEvent(
                    application=a, to_status=a.status, actor=self.actor, at=now, note=NOTE
                )
                for a in applications
            ],
            batch_size=2000,
        )


def _fair_fields():
    fields = {}
    for column in COLUMNS[:17]:
        if column.header in ("KODE_KEL", "NAMA_KEL", "NAMA_KEC"):
            continue
        widget = (_Nik if column.header == "NIK" else _Parsed)(column.parse)
        fields[column.field] = Field(
            attribute=column.field, column_name=column.header, widget=widget
        )
    fields["village_id"] = Field(attribute="village_id", column_name="KODE_KEL", widget=_Village())
    return fields


_FIELDS = _fair_fields()
FairResource = type(
    "FairResource",
    (_FairBase,),
    {**_FIELDS, "Meta": type("Meta", (_FairBase.Meta,), {"fields": list(_FIELDS)})},
)


def read_dataset(data: bytes, fmt: str) -> tablib.Dataset:
    """The file through the project's reader, handed to the library as its Dataset."""
    table = Workbook(data, f"bip.{fmt}").table(HEADER_ROW)
    return tablib.Dataset(*table.rows, headers=table.headers)


def baseline(data, fmt, actor, existing=None):
    def run():
        found = existing() if existing else None
        resource_ = FairResource(actor=actor, existing=found)
        result = resource_.import_data(read_dataset(data, fmt), use_transactions=True)
        return saved(), len(result.invalid_rows) + len(result.row_errors())

    return run


def project(data, fmt_class, actor):
    def run():
        result = ResidentResource().import_data(
            fmt_class().create_dataset(data), valid_only=True, file_name="bench", user=actor
        )
        return saved(), len(result.report.rejected)

    return run


def floor(data, fmt, stored):
    """Read the file with the fastest reader, COPY the rows the project stores. No checks."""

    def run():
        if fmt == "xlsx":
            CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
        else:
            list(csv.reader(io.StringIO(data.decode("utf-8"))))
        columns = ", ".join(COPIED)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY registry_resident ({columns}) FROM STDIN") as copy,
        ):
            for row in stored:
                copy.write_row(row)
        return saved(), None

    return run


def in_fork(work) -> str:
    """``work()``'s text, run in a forked child: its memory is measured apart from ours."""
    connections.close_all()  # parent and child each open their own connection
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        text = "nan"
        try:
            text = work()
        finally:
            os.write(write, text.encode())
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as pipe:
        return pipe.read()


def peak_growth_mb(path) -> float:
    """How far one run of ``path`` raises the process's peak resident set, in MB."""

    def work():
        empty_register()
        before = _rss_mb()
        path()
        return str(_peak_mb() - before)

    return float(in_fork(work))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def print_paths(title, rows, timings, memory):
    print(f"{title}   ({load_average()})")
    ours = timings["project"]
    for name, timing in timings.items():
        (count, _, history, applications, _), rejected = timing.result
        rate = rows / timing.median
        same = timing.result[0] == ours.result[0]
        stored = f"saved {count:,} residents, {history:,} history, {applications:,} backlog"
        if name == "project":
            verdict = f"rejected {rejected:,}"
        elif name == "floor":
            # The floor copies the residents alone: their set must match, nothing else.
            same = timing.result[0][:2] == ours.result[0][:2]
            verdict = "same residents (no history/backlog)" if same else "DIFFERENT residents"
        elif not same:
            verdict = "SAVED A DIFFERENT SET — no ratio"
        else:
            verdict = f"same set; project is {ours.median and timing.median / ours.median:.2f}×"
        print(
            f"  {name:<9} {timing.median:7.2f} s median ({timing.spread()}) {rate:>9,.0f} rows/s"
            f"  peak +{memory.get(name, float('nan')):.0f} MB  {stored}  {verdict}"
        )


def fresh(args, actor):
    print(f"Generating {args.rows:,} SIAK rows (~2% bad)…")
    rows = siak_rows(args.rows)
    files = {"xlsx": (write_xlsx(rows), XlsxFormat), "csv": (write_csv(rows), CsvFormat)}
    print(f"XLSX {len(files['xlsx'][0]) / 1e6:.1f} MB, CSV {len(files['csv'][0]) / 1e6:.1f} MB\n")
    summary = []
    for fmt, (data, fmt_class) in files.items():
        empty_register()
        project(data, fmt_class, actor)()
        stored = list(Resident.objects.order_by("pk").values_list(*COPIED))
        paths = {
            "project": project(data, fmt_class, actor),
            "baseline": baseline(data, fmt, actor),
            "floor": floor(data, fmt, stored),
        }
        timings = interleaved(paths, before_each=lambda _: empty_register())
        memory = {name: peak_growth_mb(path) for name, path in paths.items()}
        print_paths(f"{fmt.upper()}, {args.rows:,} rows:", args.rows, timings, memory)
        summary.append((fmt, timings))
        print()
    print("Ratios (only between paths that saved the same set):")
    for fmt, timings in summary:
        ours, base, low = timings["project"], timings["baseline"], timings["floor"]
        same = ours.result[0] == base.result[0]
        vs_base = f"{base.median / ours.median:.1f}×" if same else "n/a (different set)"
        print(
            f"  {fmt:<5} project vs fair baseline {vs_base:>8} (target ≥3×)   "
            f"project / COPY floor {ours.median / low.median:.2f}× (target ≤2×)"
        )
    if args.memory_rows:
        memory_check(args.memory_rows)


def memory_check(count):
    """Peak memory of the command-line import of a ``count``-row XLSX, in a process of its own."""
    print(f"\nMemory: manage.py import_residents --valid-only of a {count:,}-row XLSX")
    data = write_xlsx(siak_rows(count, seed=11))
    empty_register()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bip.xlsx"
        path.write_bytes(data)
        del data
        command = [sys.executable, str(ROOT / "manage.py"), "import_residents", str(path)]
        child = subprocess.Popen([*command, "--valid-only"], stdout=subprocess.PIPE, text=True)
        output = child.stdout.read()
        # That child's own peak (RUSAGE_CHILDREN would report the largest of every child,
        # the forks of the paths above included).
        _, _, usage = os.wait4(child.pid, 0)
    peak = usage.ru_maxrss / 1024
    print(f"  peak {peak:.0f} MB (the whole process, Django included); target < 300 MB")
    print(f"  {output.strip()}")
    empty_register()


# --- re-import into a big register ----------------------------------------------------------

_NAMES = ["YOHANES", "MARIA", "YAKOBUS", "MARTHA", "PETRUS", "AGUSTINA", "ANDREAS", "DOROTEA"]


def seed_register(count: int) -> None:
    """``count`` valid residents (and their history) by generate_series, if not there yet."""
    if Resident.objects.count() == count:
        return
    empty_register()
    villages = list(Village.objects.order_by("pk").values_list("pk", flat=True))
    names = "ARRAY[" + ", ".join(f"'{n}'" for n in _NAMES) + "]"
    with connection.cursor() as cursor:
        # NIK 537101 DD MM YY SSSS: serial 1–9999, then day, month and year vary.
        cursor.execute(
            f"""
            INSERT INTO registry_resident (nik, kk_number, full_name, birth_place, birth_date,
                sex, blood_type, religion, marital_status, occupation, nationality, address,
                rt, rw, village_id, phone, life_status, siak_record_status, nik_review_note,
                created_at, updated_at)
            SELECT '537101' || lpad((k / 9999 %% 28 + 1)::text, 2, '0')
                    || lpad((k / 9999 / 28 %% 12 + 1)::text, 2, '0')
                    || lpad((k / 9999 / 336 %% 100)::text, 2, '0')
                    || lpad((k %% 9999 + 1)::text, 4, '0'),
                '537101010101' || lpad((k %% 9000 + 1000)::text, 4, '0'),
                ({names})[k %% 8 + 1] || ' ' || ({names})[k / 8 %% 8 + 1],
                'KUPANG',
                make_date(
                    1900 + k / 9999 / 336 %% 100, k / 9999 / 28 %% 12 + 1, k / 9999 %% 28 + 1
                ),
                'L', 'O', 'KRISTEN', 'KAWIN', 'PETANI', 'WNI',
                'JL. LAMA NO. ' || (k %% 300 + 1), lpad((k %% 20 + 1)::text, 3, '0'), '001',
                (%s::int[])[k %% %s + 1], '', 'HIDUP', NULL, '', now(), now()
            FROM generate_series(0, %s - 1) AS k
            """,
            [villages, len(villages), count],
        )
        cursor.execute(
            "INSERT INTO registry_historicalresident (id, nik, kk_number, full_name, birth_place,"
            " birth_date, sex, blood_type, religion, marital_status, occupation, nationality,"
            " address, rt, rw, village_id, phone, life_status, siak_record_status,"
            " nik_review_note, created_at, updated_at, history_date, history_type,"
            " history_change_reason) SELECT id, nik, kk_number, full_name, birth_place,"
            " birth_date, sex, blood_type, religion, marital_status, occupation, nationality,"
            " address, rt, rw, village_id, phone, life_status, siak_record_status,"
            " nik_review_note, created_at, updated_at, now(), '+', 'Data awal'"
            " FROM registry_resident"
        )
        cursor.execute("ANALYZE registry_resident")
        cursor.execute("ANALYZE registry_historicalresident")


def refresh_rows(changed: int, unchanged: int) -> tuple[list[list], list[tuple[int, str]]]:
    """SIAK rows of spread-out residents, the first ``changed`` with a new address; and the
    (id, address) each had, to restore between runs."""
    step = Resident.objects.count() // (changed + unchanged)
    villages = {v.pk: v for v in Village.objects.select_related("district")}
    picked = Resident.objects.extra(where=["mod(registry_resident.id - 1, %s) = 0"], params=[step])
    rows, originals = [], []
    for index, r in enumerate(picked.order_by("pk")[: changed + unchanged]):
        address = f"JL. BARU NO. {index % 500 + 1}" if index < changed else None
        rows.append(as_siak_row(r, villages[r.village_id], address=address))
        originals.append((r.pk, r.address))
    return rows, originals


def restore(originals: list[tuple[int, str]]) -> None:
    """The refreshed residents as seeded (their new history rows stay: history is append-only)."""
    ids, addresses = zip(*originals, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_resident r SET address = o.address "
            "FROM unnest(%s::bigint[], %s::text[]) AS o(id, address) "
            "WHERE r.id = o.id AND r.address <> o.address",
            [list(ids), list(addresses)],
        )


def reimport(args, actor):
    print(f"Seeding a register of {args.register:,} residents (generate_series)…")
    seed_register(args.register)
    rows, originals = refresh_rows(args.changed, args.unchanged)
    data = write_xlsx(rows)
    sample = write_xlsx(rows[: args.baseline_rows])
    print(f"Refresh file: {len(rows):,} rows ({args.changed:,} changed), XLSX\n")

    def ours():
        stream = Workbook(data, "bip.xlsx").stream(HEADER_ROW)
        report_ = resident_import(table=stream, actor=actor, source_name="bench")
        return (len(report_.updated), report_.unchanged, len(report_.created)), None

    def existing():
        niks = [r[0] for r in rows[: args.baseline_rows]]
        return Resident.objects.in_bulk(niks, field_name="nik")

    def library():
        found = existing()
        resource_ = FairResource(actor=actor, existing=found)
        result = resource_.import_data(read_dataset(sample, "xlsx"), use_transactions=True)
        return (result.totals["update"], result.totals["skip"], result.totals["new"]), None

    timings = interleaved(
        {"project": ours, "baseline": library}, before_each=lambda _: restore(originals)
    )
    memory = {"project": peak_growth_mb(lambda: (restore(originals), ours()))}
    restore(originals)
    print(f"Re-import into {args.register:,} residents   ({load_average()})")
    for name, timing in timings.items():
        updated, unchanged, created = timing.result[0]
        rows_done = len(rows) if name == "project" else args.baseline_rows
        print(
            f"  {name:<9} {rows_done:>7,} rows {timing.median:7.2f} s median "
            f"({timing.spread()}) {updated / timing.median:>9,.0f} changed rows/s  "
            f"updated {updated:,}, unchanged {unchanged:,}, new {created:,}"
            + (f"  peak +{memory[name]:.0f} MB" if name in memory else "  (sample)")
        )
    ours_rate = timings["project"].result[0][0] / timings["project"].median
    base_rate = timings["baseline"].result[0][0] / timings["baseline"].median
    print(
        f"  project vs library baseline: {ours_rate / base_rate:.1f}× in changed rows/s "
        f"(target ≥10,000 changed rows/s: {'met' if ours_rate >= 10_000 else 'MISSED'})"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--memory-rows", type=int, default=250_000, help="0: skip")
    parser.add_argument("--memory-only", action="store_true")
    parser.add_argument("--reimport", action="store_true")
    parser.add_argument("--register", type=int, default=1_000_000)
    parser.add_argument("--changed", type=int, default=40_000)
    parser.add_argument("--unchanged", type=int, default=10_000)
    parser.add_argument("--baseline-rows", type=int, default=4_000)
    args = parser.parse_args()
    actor = system_user()
    if args.memory_only:
        memory_check(args.memory_rows)
    elif args.reimport:
        reimport(args, actor)
    else:
        fresh(args, actor)
        empty_register()


if __name__ == "__main__":
    main()
