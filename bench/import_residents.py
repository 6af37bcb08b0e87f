"""Resident import speed: this project against django-import-export and the COPY floor.

    DATABASE_URL=postgres://root@127.0.0.1:5432/dukcapil_bench \
        .venv/bin/python bench/import_residents.py --rows 40000

Generates a realistic SIAK/BIP file (XLSX with shared strings and real date cells, and CSV;
about 2% bad rows), then imports it into an empty register through:
  project      the admin's confirm step (ResidentResource.import_data, valid rows only)
  preview+ok   the admin's preview (dry run) followed by its confirm, as a clerk does it
  default      django-import-export's ModelResource with its defaults
  tuned        the same with its documented bulk tuning (use_bulk, skip_diff, force_init_instance)
  tuned+dict   tuned, and the kelurahan looked up from a dict instead of a query per row
  floor        the fastest reader + PostgreSQL COPY of the same rows, with no checks at all
The row-by-row default path is measured on a sample (--baseline-rows) to keep the run short;
rows/s is what is compared.
"""

import argparse
import csv
import datetime as dt
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on_postgres

django_on_postgres()

import openpyxl  # noqa: E402
from django.db import connection  # noqa: E402
from import_export import resources, widgets  # noqa: E402
from import_export.fields import Field  # noqa: E402
from import_export.formats.base_formats import CSV, XLSX  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from dukcapil.import_formats import CsvFormat, XlsxFormat  # noqa: E402
from registry.demo import generate_residents  # noqa: E402
from registry.models import Resident, Village  # noqa: E402
from registry.resources import ResidentResource  # noqa: E402
from registry.siak import COLUMNS  # noqa: E402

SIAK_HEADERS = [c.header for c in COLUMNS][:17]


def siak_rows(count: int, seed: int = 7) -> list[list]:
    """Rows as SIAK exports them, with about 2% of the kinds of mistakes clerks send."""
    villages = list(Village.objects.select_related("district"))
    rng = random.Random(seed)
    rows = []
    for r in generate_residents(count, seed=seed, villages=villages):
        village = next(v for v in villages if v.pk == r.village_id)
        rows.append(
            [
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
                r.address,
                r.rt,
                r.rw,
                village.code.replace(".", ""),
                village.name.upper(),
                village.district.name.upper(),
                r.siak_record_status or "",
            ]
        )
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
            "TRUNCATE registry_resident, registry_historicalresident RESTART IDENTITY CASCADE"
        )


class _Dotted(widgets.ForeignKeyWidget):
    """django-import-export's kelurahan lookup: one query per row."""

    def clean(self, value, row=None, **kwargs):
        code = str(value)
        dotted = f"{code[:2]}.{code[2:4]}.{code[4:6]}.{code[6:]}"
        return super().clean(dotted, row, **kwargs)


class _CachedDotted(_Dotted):
    """The same lookup from a dict: a stronger baseline than the library gives by default."""

    def clean(self, value, row=None, **kwargs):
        if not hasattr(self, "_villages"):
            self._villages = {v.code.replace(".", ""): v for v in Village.objects.all()}
        return self._villages.get(str(value))


class _Label(widgets.Widget):
    def __init__(self, choices):
        self.mapping = {str(label).upper(): value for value, label in choices}

    def clean(self, value, row=None, **kwargs):
        return self.mapping.get(str(value).strip().upper(), value)


def _baseline_resource(tuned: bool, cached_lookup: bool = False):
    def field(attribute, header, widget=None):
        return Field(attribute=attribute, column_name=header, widget=widget or widgets.CharWidget())

    meta = {
        "model": Resident,
        "import_id_fields": ["nik"],
        "fields": [c.field or "village" for c in COLUMNS[:14]],
    }
    if tuned:
        meta |= {
            "use_bulk": True,
            "skip_diff": True,
            "force_init_instance": True,
            "batch_size": 1000,
        }
    attrs = {
        "Meta": type("Meta", (), meta),
        "nik": field("nik", "NIK"),
        "kk_number": field("kk_number", "NO_KK"),
        "full_name": field("full_name", "NAMA_LGKP"),
        "birth_place": field("birth_place", "TMPT_LHR"),
        "birth_date": field("birth_date", "TGL_LHR", widgets.DateWidget(format="%d-%m-%Y")),
        "sex": field("sex", "JENIS_KLMIN", _Label(Resident._meta.get_field("sex").choices)),
        "blood_type": field(
            "blood_type", "GOL_DRH", _Label(Resident._meta.get_field("blood_type").choices)
        ),
        "religion": field(
            "religion", "AGAMA", _Label(Resident._meta.get_field("religion").choices)
        ),
        "marital_status": field(
            "marital_status", "STAT_KWN", _Label(Resident._meta.get_field("marital_status").choices)
        ),
        "occupation": field("occupation", "JENIS_PKRJN"),
        "address": field("address", "ALAMAT"),
        "rt": field("rt", "NO_RT"),
        "rw": field("rw", "NO_RW"),
        "village": field(
            "village", "KODE_KEL", (_CachedDotted if cached_lookup else _Dotted)(Village, "code")
        ),
    }
    return type("BaselineResource", (resources.ModelResource,), attrs)()


def timed(label, fmt, rows, action):
    empty_register()
    started = time.perf_counter()
    outcome = action()
    seconds = time.perf_counter() - started
    rate = rows / seconds
    print(
        f"  {label:<12} {fmt:<5} {rows:>7,} rows {seconds:8.2f} s {rate:>10,.0f} rows/s   {outcome}"
    )
    return rate


def project(fmt_class, data):
    def run():
        table = fmt_class().create_dataset(data)
        result = ResidentResource().import_data(
            table, dry_run=False, valid_only=True, file_name="bench"
        )
        report = result.report
        return f"{len(report.created):,} saved, {len(report.rejected):,} rejected"

    return run


def preview_then_confirm(fmt_class, data):
    def run():
        for dry_run in (True, False):
            table = fmt_class().create_dataset(data)
            result = ResidentResource().import_data(table, dry_run=dry_run, valid_only=True)
        return f"{len(result.report.created):,} saved"

    return run


def baseline(fmt_class, data, *, tuned, cached_lookup=False):
    def run():
        # The admin hands text formats over decoded, as here.
        dataset = fmt_class().create_dataset(data if fmt_class().is_binary() else data.decode())
        resource = _baseline_resource(tuned, cached_lookup)
        result = resource.import_data(dataset, dry_run=False, raise_errors=False)
        failed = len(result.invalid_rows) + len(result.row_errors())
        return f"{result.totals['new']:,} new, {failed:,} failed"

    return run


def floor(fmt, data):
    def read():
        if fmt == "xlsx":
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            return sheet.to_python()[1:]
        return list(csv.reader(io.StringIO(data.decode("utf-8"))))[1:]

    def run():
        villages = {v.code.replace(".", ""): v.pk for v in Village.objects.all()}
        columns = (
            "nik, kk_number, full_name, birth_place, birth_date, sex, blood_type, religion, "
            "marital_status, occupation, address, rt, rw, village_id, phone, nationality, "
            "life_status, nik_review_note, created_at, updated_at"
        )
        now = dt.datetime.now(dt.UTC)
        seen, copied = set(), 0
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY registry_resident ({columns}) FROM STDIN") as copy,
        ):
            for row in read():
                village = villages.get(str(row[13]))
                born = row[4] if isinstance(row[4], dt.date) else _date(row[4])
                rt_rw_ok = str(row[11]).isdigit() and str(row[12]).isdigit()
                if village is None or born is None or row[0] in seen or not row[2] or not rt_rw_ok:
                    continue
                seen.add(row[0])
                copy.write_row(
                    [
                        row[0],
                        row[1],
                        row[2],
                        row[3],
                        born,
                        row[5][0],
                        "TT",
                        "KRISTEN",
                        "KAWIN",
                        row[9],
                        row[10],
                        str(row[11]).zfill(3)[:3],
                        str(row[12]).zfill(3)[:3],
                        village,
                        "",
                        "WNI",
                        "HIDUP",
                        "",
                        now,
                        now,
                    ]
                )
                copied += 1
        return f"{copied:,} copied (no validation)"

    return run


def _date(text):
    try:
        return dt.datetime.strptime(text, "%d-%m-%Y").date()
    except ValueError:
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--baseline-rows", type=int, default=4_000)
    args = parser.parse_args()

    print(f"Generating {args.rows:,} SIAK rows (~2% bad)…")
    rows = siak_rows(args.rows)
    sample = rows[: args.baseline_rows]
    files = {
        "xlsx": (write_xlsx(rows), write_xlsx(sample), XlsxFormat, XLSX),
        "csv": (write_csv(rows), write_csv(sample), CsvFormat, CSV),
    }
    print(f"XLSX {len(files['xlsx'][0]) / 1e6:.1f} MB, CSV {len(files['csv'][0]) / 1e6:.1f} MB\n")

    summary = []
    for fmt, (data, sample_data, ours, theirs) in files.items():
        print(f"{fmt.upper()}:")
        rate = timed("project", fmt, args.rows, project(ours, data))
        both = timed("preview+ok", fmt, args.rows, preview_then_confirm(ours, data))
        default = timed("default", fmt, len(sample), baseline(theirs, sample_data, tuned=False))
        tuned = timed("tuned", fmt, args.rows, baseline(theirs, data, tuned=True))
        cached = baseline(theirs, data, tuned=True, cached_lookup=True)
        tuned_cached = timed("tuned+dict", fmt, args.rows, cached)
        floor_rate = timed("floor", fmt, args.rows, floor(fmt, data))
        summary.append((fmt, rate, default, tuned, tuned_cached, floor_rate, rate / both))
        print()

    print("Ratios (this project's rows/s against each):")
    header = (
        "format",
        "vs default",
        "vs tuned",
        "vs tuned+dict",
        "floor/this",
        "preview+ok/single",
    )
    print("  {:<6} {:>11} {:>9} {:>14} {:>11} {:>18}".format(*header))
    for fmt, rate, default, tuned, tuned_cached, floor_rate, both in summary:
        ratios = (rate / default, rate / tuned, rate / tuned_cached, floor_rate / rate, both)
        print("  {:<6} {:>10.1f}× {:>8.1f}× {:>13.1f}× {:>10.2f}× {:>17.2f}×".format(fmt, *ratios))
    print("Targets: ≥20× default, ≥3× tuned, floor/this ≤3×, preview+confirm ≤2× single pass.")
    empty_register()


if __name__ == "__main__":
    main()
