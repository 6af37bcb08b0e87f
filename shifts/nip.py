"""NIP (Nomor Induk Pegawai), the 18-digit civil-servant number.

Layout (BKN): birth date YYYYMMDD, appointment (TMT CPNS) YYYYMM, sex 1 = laki-laki,
2 = perempuan, then a 3-digit serial.
"""

import datetime as dt

from django.core.exceptions import ValidationError


def nip_problem(nip: str) -> str | None:
    """Why ``nip`` is not a valid NIP, in Indonesian, or None when it is."""
    if len(nip) != 18 or not nip.isdigit():
        return "NIP harus 18 digit angka."
    try:
        born = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return "8 digit pertama NIP (tanggal lahir) bukan tanggal yang sah."
    appointed_year, appointed_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= appointed_month <= 12 or appointed_year < born.year + 15:
        return "digit 9–14 NIP (TMT pengangkatan) tidak sah."
    if nip[14] not in "12":
        return "digit ke-15 NIP (jenis kelamin) harus 1 atau 2."
    if nip[15:] == "000":
        return "nomor urut NIP (3 digit terakhir) tidak boleh 000."
    return None


def validate_nip(value: str) -> None:
    if problem := nip_problem(value):
        raise ValidationError(problem, code="invalid_nip")
