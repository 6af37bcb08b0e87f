"""The one place that knows what a NIK and a No. KK look like.

NIK layout (Permendagri 108/2019): PP KK CC DD MM YY SSSS — province, kabupaten/kota and
kecamatan of *first* registration, birth day (women +40), month, two-digit year, serial.
There is no check digit. A NIK whose date or sex disagrees with the recorded person is kept
and flagged, never refused: NIKs are not reissued (PP 40/2019 Pasal 30(2)).
"""

import contextlib
import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError

REGIONS_CSV = Path(__file__).resolve().parent / "data" / "indonesia_regencies.csv"
_SIXTEEN_DIGITS = re.compile(r"\d{16}")
_SCIENTIFIC = re.compile(r"\d[.,]\d+E\+?\d+", re.IGNORECASE)


@cache
def region_codes() -> tuple[frozenset[str], frozenset[str]]:
    """(province codes "53", kabupaten/kota codes "5371") from the Kemendagri list."""
    provinces, regencies = set(), set()
    with REGIONS_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["kode"].replace(".", "")
            (provinces if row["level"] == "provinsi" else regencies).add(code)
    return frozenset(provinces), frozenset(regencies)


@dataclass(frozen=True, slots=True)
class Nik:
    value: str
    birth_day: int
    birth_month: int
    birth_year_2: int
    sex: str  # "L" or "P"
    regency_known: bool
    birth_dates: tuple[dt.date, ...]  # the century is not encoded: one or two candidates


@cache  # at most 31 × 12 × 100 combinations
def _birth_dates(day: int, month: int, year2: int) -> tuple[dt.date, ...]:
    dates = []
    for century in (1900, 2000):
        with contextlib.suppress(ValueError):
            dates.append(dt.date(century + year2, month, day))
    return tuple(d for d in dates if d <= dt.date.today())


def _digits_problem(value: str, label: str) -> str | None:
    if _SCIENTIFIC.fullmatch(value):
        return (
            f"{label} rusak oleh Excel (tertulis {value}); "
            "format kolom sebagai Teks lalu isi ulang."
        )
    if not value.isascii() or not value.isdigit():
        return f"{label} hanya boleh berisi angka."
    if len(value) != 16:
        return f"{label} harus 16 digit, bukan {len(value)}."
    return None


# An import checks each NIK twice, once as a cell and once in its row, a few rows apart: a
# small cache serves both without holding a whole file's NIKs.
@lru_cache(maxsize=4096)
def parse_nik(value: str) -> Nik:
    """Parse a NIK or raise ValidationError with the reason in Indonesian."""
    value = (value or "").strip()
    if problem := _digits_problem(value, "NIK"):
        raise ValidationError(problem, code="nik_format")
    provinces, regencies = region_codes()
    if value[:2] not in provinces:
        raise ValidationError(f"NIK: kode provinsi {value[:2]} tidak dikenal.", code="nik_province")
    day, month, year2 = int(value[6:8]), int(value[8:10]), int(value[10:12])
    sex = "L"
    if 41 <= day <= 71:
        day, sex = day - 40, "P"
    if not 1 <= day <= 31:
        raise ValidationError(
            f"NIK: tanggal lahir {value[6:8]} tidak sah (01–31, perempuan 41–71).", code="nik_day"
        )
    if not 1 <= month <= 12:
        raise ValidationError(
            f"NIK: bulan lahir {value[8:10]} tidak sah (01–12).", code="nik_month"
        )
    nik = Nik(
        value, day, month, year2, sex, value[:4] in regencies, _birth_dates(day, month, year2)
    )
    if not nik.birth_dates:
        raise ValidationError(
            f"NIK: tanggal lahir {day:02d}-{month:02d}-{year2:02d} tidak ada di kalender.",
            code="nik_date",
        )
    if value[12:] == "0000":
        raise ValidationError("NIK: nomor urut 0000 tidak sah.", code="nik_serial")
    return nik


def nik_review_notes(nik: Nik, *, birth_date: dt.date | None, sex: str | None) -> list[str]:
    """Reasons a valid NIK deserves a second look; empty when it agrees with the person."""
    notes = []
    if not nik.regency_known:
        notes.append(f"kode kabupaten/kota {nik.value[:4]} tidak dikenal")
    if birth_date and birth_date not in nik.birth_dates:
        notes.append("tanggal lahir berbeda dengan NIK")
    if sex and sex != nik.sex:
        notes.append("jenis kelamin berbeda dengan NIK")
    return notes


def nik_review_note(value: str, *, birth_date: dt.date | None, sex: str | None) -> str:
    """The review notes of a valid NIK as one sentence, "" when there is nothing to check."""
    text = "; ".join(nik_review_notes(parse_nik(value), birth_date=birth_date, sex=sex))
    return text[:1].upper() + text[1:]


def validate_kk_number(value: str) -> str:
    """Check a No. KK (16 digits, plausible region part) and return it stripped."""
    value = (value or "").strip()
    if problem := _digits_problem(value, "No. KK"):
        raise ValidationError(problem, code="kk_format")
    provinces, _ = region_codes()
    if value[:2] not in provinces or value[2:4] == "00" or value[4:6] == "00":
        raise ValidationError(
            f"No. KK: kode wilayah {value[:6]} tidak masuk akal.", code="kk_region"
        )
    if value[12:] == "0000":
        raise ValidationError("No. KK: nomor urut 0000 tidak sah.", code="kk_serial")
    return value


def validate_nik(value: str) -> None:
    """Model-field validator."""
    parse_nik(value)
