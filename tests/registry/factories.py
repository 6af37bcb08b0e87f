"""Rows and residents for tests, in the SIAK layout the office really receives."""

import datetime as dt

from dukcapil.spreadsheets import Table
from registry.models import Resident, Village
from registry.siak import HEADERS

SIAK_HEADERS = HEADERS[:17]  # a BIP export: no columns of this system's own


def siak_row(**overrides) -> dict:
    row = {
        "NIK": "5371012701900001",
        "NO_KK": "5371012001150003",
        "NAMA_LGKP": "YOHANES NDOLU",
        "TMPT_LHR": "KUPANG",
        "TGL_LHR": "27-01-1990",
        "JENIS_KLMIN": "LAKI-LAKI",
        "GOL_DRH": "O",
        "AGAMA": "KRISTEN",
        "STAT_KWN": "KAWIN",
        "JENIS_PKRJN": "WIRASWASTA",
        "ALAMAT": "JL. EL TARI NO. 5",
        "NO_RT": "003",
        "NO_RW": "002",
        "KODE_KEL": "5371011001",
        "NAMA_KEL": "NAMOSAIN",
        "NAMA_KEC": "ALAK",
        "STAT_RKM": "3",
    }
    return row | overrides


def nik_for(serial: int, *, day: int = 27, month: int = 1, year: int = 90) -> str:
    return f"537101{day:02d}{month:02d}{year:02d}{serial:04d}"


def table_of(rows: list[dict], headers: list[str] = SIAK_HEADERS) -> Table:
    return Table(
        headers=list(headers),
        rows=[[row.get(h, "") for h in headers] for row in rows],
        row_numbers=list(range(2, len(rows) + 2)),
    )


def make_resident(**overrides) -> Resident:
    values = {
        "nik": "5371012701900001",
        "kk_number": "5371012001150003",
        "full_name": "YOHANES NDOLU",
        "birth_place": "KUPANG",
        "birth_date": dt.date(1990, 1, 27),
        "sex": "L",
        "religion": "KRISTEN",
        "marital_status": "KAWIN",
        "address": "JL. EL TARI NO. 5",
        "rt": "003",
        "rw": "002",
        "village": Village.objects.get(code="53.71.01.1001"),
    }
    return Resident.objects.create(**(values | overrides))


def resident_form_data(resident: Resident) -> dict:
    """The resident change form as the admin fills it in, ready to POST."""
    return {
        "nik": resident.nik,
        "kk_number": resident.kk_number,
        "full_name": resident.full_name,
        "birth_place": resident.birth_place,
        "birth_date": resident.birth_date.strftime("%d/%m/%Y"),
        "sex": resident.sex,
        "blood_type": resident.blood_type,
        "religion": resident.religion,
        "marital_status": resident.marital_status,
        "occupation": resident.occupation,
        "nationality": resident.nationality,
        "address": resident.address,
        "rt": resident.rt,
        "rw": resident.rw,
        "village": resident.village_id,
        "phone": resident.phone,
        "life_status": resident.life_status,
        "version": resident.updated_at.isoformat(),
    }
