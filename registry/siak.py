"""The SIAK/BIP spreadsheet layout: one column list serves import, export and the admin.

Cells arrive as SIAK writes them (upper-case labels or numeric codes, dates as text or as
real date cells); each parser turns one cell into a field value or raises CellError with
the reason in Indonesian.
"""

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from dukcapil.privacy import mask_birth_date, mask_number
from dukcapil.spreadsheets import HeaderRow, RowStream, Table
from registry.models import (
    BloodType,
    LifeStatus,
    MaritalStatus,
    Nationality,
    Religion,
    Sex,
    SiakRecordStatus,
    Village,
)
from registry.nik import parse_nik, validate_kk_number


class CellError(Exception):
    """One cell's value is unusable; the message tells the clerk why."""


def _text(value: Any) -> str:
    if type(value) is not str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    text = value.strip().upper()
    return " ".join(text.split()) if "  " in text else text


def _required_text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _text(value)
        if not text:
            raise CellError("wajib diisi.")
        if len(text) > max_length:
            raise CellError(f"terlalu panjang ({len(text)} karakter, maksimal {max_length}).")
        return text

    return parse


def _optional_text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _text(value)
        if len(text) > max_length:
            raise CellError(f"terlalu panjang ({len(text)} karakter, maksimal {max_length}).")
        return text

    return parse


_NAME = re.compile(r"[A-Z][A-Z .,'`\-]*")


def parse_name(value: Any) -> str:
    name = _required_text(100)(value)
    if not _NAME.fullmatch(name):
        raise CellError("hanya boleh huruf, spasi, titik, koma, apostrof dan tanda hubung.")
    return name


def _identity_number(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(
            "tersimpan sebagai angka; Excel memotong angka 16 digit. Format kolom sebagai Teks."
        )
    return _text(value)


def parse_nik_cell(value: Any) -> str:
    try:
        return parse_nik(_identity_number(value)).value
    except (CellError, ValidationError) as exc:
        raise CellError(_message(exc)) from None


def parse_kk_cell(value: Any) -> str:
    try:
        return validate_kk_number(_identity_number(value))
    except (CellError, ValidationError) as exc:
        raise CellError(_message(exc)) from None


def _message(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", [str(exc)]))


_DATE_PATTERNS = (
    re.compile(r"(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})"),
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
)


def parse_birth_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        text = _text(value)
        if not text:
            raise CellError("wajib diisi.")
        match = next((m for p in _DATE_PATTERNS if (m := p.fullmatch(text))), None)
        if not match:
            raise CellError(f"'{text}' bukan tanggal (gunakan HH-BB-TTTT, mis. 27-01-1990).")
        try:
            value = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            raise CellError(f"tanggal {text} tidak ada di kalender.") from None
    if value.year < 1880 or value > dt.date.today():
        raise CellError(f"tanggal {value:%d-%m-%Y} tidak masuk akal.")
    return value


def _choice(label: str, choices, codes: dict[str, Any] | None = None, *, default=None):
    """Parser for a SIAK choice column: labels, stored values, SIAK's numeric codes, aliases."""
    mapping = {str(text).upper(): value for value, text in choices.choices}
    mapping |= {str(value).upper(): value for value in choices.values}
    mapping |= codes or {}
    allowed = ", ".join(str(text) for _, text in choices.choices)

    def parse(value: Any) -> str:
        text = _text(value)
        if not text and default is not None:
            return default
        try:
            return mapping[text]
        except KeyError:
            shown = text or "(kosong)"
            raise CellError(f"{label} '{shown}' tidak dikenal; pilihan: {allowed}.") from None

    return parse


def _numbered(choices) -> dict[str, Any]:
    """SIAK's numeric codes: the choices in their official order, from 1."""
    return {str(i): value for i, value in enumerate(choices.values, start=1)}


parse_sex = _choice("Jenis kelamin", Sex, {"1": Sex.MALE, "2": Sex.FEMALE, "LAKI LAKI": Sex.MALE})
parse_blood_type = _choice(
    "Golongan darah",
    BloodType,
    _numbered(BloodType) | {"TIDAK": BloodType.UNKNOWN, "-": BloodType.UNKNOWN},
    default=BloodType.UNKNOWN,
)
parse_religion = _choice(
    "Agama",
    Religion,
    _numbered(Religion)
    | {
        "KATOLIK": Religion.CATHOLIC,
        "BUDDHA": Religion.BUDDHIST,
        "KONGHUCU": Religion.CONFUCIAN,
        "KEPERCAYAAN TERHADAP TUHAN YANG MAHA ESA": Religion.BELIEF,
        "KEPERCAYAAN": Religion.BELIEF,
    },
)
parse_marital_status = _choice(
    "Status kawin",
    MaritalStatus,
    _numbered(MaritalStatus)
    | {
        "KAWIN TERCATAT": MaritalStatus.MARRIED,
        "KAWIN BELUM TERCATAT": MaritalStatus.MARRIED,
        "CERAI HIDUP TERCATAT": MaritalStatus.DIVORCED,
        "CERAI HIDUP BELUM TERCATAT": MaritalStatus.DIVORCED,
    },
)
parse_nationality = _choice("Kewarganegaraan", Nationality, default=Nationality.CITIZEN)
parse_life_status = _choice("Status penduduk", LifeStatus, default=LifeStatus.ALIVE)


_RECORD_STATUSES = frozenset(SiakRecordStatus.values)


def parse_record_status(value: Any) -> int | None:
    text = _text(value)
    if not text:
        return None
    if text.isdigit() and int(text) in _RECORD_STATUSES:
        return int(text)
    raise CellError(f"STAT_RKM '{text}' tidak dikenal; gunakan kode 1–8.")


def _neighbourhood(label: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _text(value)
        if not (text.isdigit() and 1 <= len(text) <= 3 and int(text) > 0):
            raise CellError(f"{label} harus angka 1–999, bukan '{text or '(kosong)'}'.")
        return text.zfill(3)

    return parse


_PHONE = re.compile(r"\+?[0-9]{8,15}")


def parse_phone(value: Any) -> str:
    text = _text(value).replace(" ", "").replace("-", "")
    if text and not _PHONE.fullmatch(text):
        raise CellError(f"nomor telepon '{text}' tidak sah.")
    return text


def parse_village_code(value: Any) -> str:
    return _text(value).replace(".", "")


def _plain(value: Any) -> Any:
    return "" if value is None else value


def _label_of(choices) -> Callable[[Any], str]:
    labels = dict(choices.choices)
    return lambda value: labels.get(value, "") if value not in (None, "") else ""


@dataclass(frozen=True)
class Column:
    header: str
    source: str  # values() path used by the export
    field: str | None  # Resident attribute the parser fills; None for the village lookup columns
    parse: Callable[[Any], Any]
    export: Callable[[Any], Any] = _plain
    required: bool = True


COLUMNS: tuple[Column, ...] = (
    Column("NIK", "nik", "nik", parse_nik_cell),
    Column("NO_KK", "kk_number", "kk_number", parse_kk_cell),
    Column("NAMA_LGKP", "full_name", "full_name", parse_name),
    Column("TMPT_LHR", "birth_place", "birth_place", _required_text(60)),
    Column("TGL_LHR", "birth_date", "birth_date", parse_birth_date),
    Column("JENIS_KLMIN", "sex", "sex", parse_sex, _label_of(Sex)),
    Column("GOL_DRH", "blood_type", "blood_type", parse_blood_type, _label_of(BloodType), False),
    Column("AGAMA", "religion", "religion", parse_religion, _label_of(Religion)),
    Column(
        "STAT_KWN",
        "marital_status",
        "marital_status",
        parse_marital_status,
        _label_of(MaritalStatus),
    ),
    Column("JENIS_PKRJN", "occupation", "occupation", _optional_text(100), required=False),
    Column("ALAMAT", "address", "address", _required_text(200)),
    Column("NO_RT", "rt", "rt", _neighbourhood("RT")),
    Column("NO_RW", "rw", "rw", _neighbourhood("RW")),
    Column(
        "KODE_KEL", "village__code", None, parse_village_code, lambda c: c.replace(".", ""), False
    ),
    Column("NAMA_KEL", "village__name", None, _text, required=False),
    Column("NAMA_KEC", "village__district__name", None, _text, required=False),
    Column(
        "STAT_RKM", "siak_record_status", "siak_record_status", parse_record_status, required=False
    ),
    Column("KEWARGANEGARAAN", "nationality", "nationality", parse_nationality, required=False),
    Column("TELEPON", "phone", "phone", parse_phone, required=False),
    Column(
        "STATUS_PENDUDUK",
        "life_status",
        "life_status",
        parse_life_status,
        _label_of(LifeStatus),
        False,
    ),
)
HEADERS = [c.header for c in COLUMNS]
HEADER_ROW = HeaderRow(("NIK",))
# Other names real SIAK extracts give the same columns: the SIAK database's and common variants.
SYNONYMS = {
    "TEMPAT_LAHIR": "TMPT_LHR",
    "TANGGAL_LAHIR": "TGL_LHR",
    "JENIS_KELAMIN": "JENIS_KLMIN",
    "NAMA_LENGKAP": "NAMA_LGKP",
    "GOLONGAN_DARAH": "GOL_DRH",
    "STATUS_KAWIN": "STAT_KWN",
    "PEKERJAAN": "JENIS_PKRJN",
    "NO_KECAMATAN": "NO_KEC",
    "NO_KELURAHAN": "NO_KEL",
    "NAMA_KELURAHAN": "NAMA_KEL",
    "NAMA_KECAMATAN": "NAMA_KEC",
}
# The SIAK database writes the region as four numbers: 53, 71, 1, 1001 → kelurahan 53.71.01.1001.
REGION_HEADERS = ("NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL")
_REGION_WIDTHS = (2, 2, 2, 4)


@dataclass
class SiakTable:
    """A file's table as the import reads it, and what the clerk should be told about it."""

    headers: list[str]  # the file's headers with synonyms renamed, plus a built KODE_KEL
    ignored: list[str]  # the file's columns the import does not read, as the file names them
    labels: dict[str, str]  # column read → how the file names it, for messages
    source: Table | RowStream
    region_at: list[int] | None  # where the four region numbers are, when KODE_KEL is built
    read: frozenset[str]

    def records(self) -> Iterator[tuple[int, list, list[tuple[str, str]]]]:
        """(row number, cells in ``headers`` order, problems in read columns), row by row.

        The cells of the file itself come first, as they were: rejected rows go back in the
        file's own layout.
        """
        for number, cells, found in self.source.records():
            if self.region_at is not None:
                cells = [*cells, _region_code([cells[i] for i in self.region_at])]
            # An error cell in a column nobody reads spoils nothing.
            problems = [(n, why) for h, why in found if (n := SYNONYMS.get(h, h)) in self.read]
            yield number, cells, problems


def siak_table(table: Table | RowStream) -> SiakTable:
    """Known synonyms renamed, and KODE_KEL built from the four region numbers when the file
    has those instead. ``table`` is left as it was, so rejected rows go back in its layout."""
    headers = [SYNONYMS.get(h, h) for h in table.headers]
    labels = {}
    for h, original in zip(headers, table.headers, strict=True):
        labels.setdefault(h, original)
    read = set(HEADERS)
    region_at = None
    if "KODE_KEL" not in headers and set(REGION_HEADERS) <= set(headers):
        read.update(REGION_HEADERS)
        region_at = [headers.index(h) for h in REGION_HEADERS]
        headers.append("KODE_KEL")
        labels["KODE_KEL"] = "/".join(labels[h] for h in REGION_HEADERS)
    # Of two columns with one meaning, the first is read.
    ignored = [
        original
        for i, (original, h) in enumerate(zip(table.headers, headers, strict=False))
        if original and (h not in read or headers.index(h) != i)
    ]
    return SiakTable(headers, ignored, labels, table, region_at, frozenset(read))


def _region_code(numbers: list) -> str:
    parts = [_text(n) for n in numbers]
    if all(p.isdigit() for p in parts):
        return "".join(p.zfill(w) for p, w in zip(parts, _REGION_WIDTHS, strict=True))
    return ".".join(parts)


REQUIRED_HEADERS = [c.header for c in COLUMNS if c.required]
VILLAGE_HEADERS = ("KODE_KEL", "NAMA_KEL")

# Columns that carry protected personal data (UU Adminduk Pasal 84) and how they are masked.
MASKS: dict[str, Callable[[Any], Any]] = {
    "NIK": mask_number,
    "NO_KK": mask_number,
    "TGL_LHR": mask_birth_date,
}


def export_rows(queryset, *, full_identity: bool):
    """Yield one export row per resident, in COLUMNS order, masked unless ``full_identity``."""
    formatters = [
        MASKS[c.header] if c.header in MASKS and not full_identity else c.export for c in COLUMNS
    ]
    # The writers write None as an empty cell: only the columns that change a value are
    # formatted (a whole-register export builds its rows a quarter faster).
    changing = [(i, fmt) for i, fmt in enumerate(formatters) if fmt is not _plain]
    values = queryset.order_by("pk").values_list(*(c.source for c in COLUMNS))
    for values_row in values.iterator(chunk_size=5000):
        row = list(values_row)
        for i, fmt in changing:
            row[i] = fmt(row[i])
        yield row


class VillageLookup:
    """Finds the kelurahan of a row from KODE_KEL (dotted or not) or from NAMA_KEL/NAMA_KEC."""

    def __init__(self):
        self._resolved = {}
        villages = Village.objects.select_related("district")
        self._by_code = {v.code.replace(".", ""): v for v in villages}
        self._by_name = defaultdict(list)
        for village in self._by_code.values():
            self._by_name[village.name.upper()].append(village)

    def resolve(self, code: str, name: str, district: str) -> int:
        key = (code, name, district)
        if key not in self._resolved:
            try:
                self._resolved[key] = self._find(code, name, district)
            except CellError as exc:
                self._resolved[key] = exc
        outcome = self._resolved[key]
        if isinstance(outcome, CellError):
            raise outcome
        return outcome

    def _find(self, code: str, name: str, district: str) -> int:
        if code:
            village = self._by_code.get(code)
            if village is None:
                raise CellError(f"kode kelurahan '{code}' bukan kelurahan di Kota Kupang.")
            if name and name != village.name.upper():
                raise CellError(f"kode {code} adalah kelurahan {village.name}, bukan {name}.")
            return village.pk
        candidates = [
            v
            for v in self._by_name.get(name, [])
            if not district or v.district.name.upper() == district
        ]
        if len(candidates) != 1:
            raise CellError(f"kelurahan '{name or '(kosong)'}' tidak dikenal di Kota Kupang.")
        return candidates[0].pk
