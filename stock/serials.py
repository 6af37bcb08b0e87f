"""Blank serial numbers: ranges like ``KTP0001000–KTP0004999`` and pasted lists."""

import re

from django.core.exceptions import ValidationError

from dukcapil.formats import grouped

MAX_SERIALS = 200_000
_SERIAL = re.compile(r"^[A-Z0-9]{4,32}$")
_RANGE = re.compile(r"^\s*([A-Z]*)(\d+)\s*(?:-|–|—|S/D|SD|SAMPAI)\s*([A-Z]*)(\d+)\s*$")
_SEPARATORS = re.compile(r"[\s,;]+")


def serial_range(text: str) -> list[str]:
    """Every serial of a range, keeping the zero padding: ``KTP0001–KTP0003`` → 3 serials."""
    match = _RANGE.match(text.upper())
    if not match:
        raise ValidationError(
            f"Rentang nomor seri “{text}” tidak dapat dibaca; tulis seperti KTP0001000–KTP0004999."
        )
    prefix, first, prefix_last, last = match.groups()
    if prefix != prefix_last or len(first) != len(last):
        raise ValidationError(
            f"Awal dan akhir rentang “{text}” harus berawalan dan berpanjang digit sama."
        )
    start, end = int(first), int(last)
    if end < start:
        raise ValidationError(f"Rentang “{text}”: nomor akhir lebih kecil dari nomor awal.")
    if end - start + 1 > MAX_SERIALS:
        raise ValidationError(
            f"Rentang “{text}” terlalu besar (lebih dari {MAX_SERIALS:,} keping)."
        )
    width = len(first)
    return [f"{prefix}{number:0{width}d}" for number in range(start, end + 1)]


def is_range_text(text: str) -> bool:
    return bool(_RANGE.match(text.upper()))


def serials_parse(text: str) -> list[str]:
    """Serials from what a clerk types: one range, or a list separated by spaces, commas or lines.

    Repeated serials are refused, since each is one physical card.
    """
    text = text.strip()
    if not text:
        raise ValidationError("Isi nomor seri blanko.")
    if _RANGE.match(text.upper()):
        return serial_range(text)
    return serials_check([part for part in _SEPARATORS.split(text.upper()) if part])


def serials_check(serials: list[str]) -> list[str]:
    """Normalise a list of serials and refuse malformed or repeated ones, naming them."""
    cleaned = [str(s).strip().upper() for s in serials if str(s).strip()]
    if not cleaned:
        raise ValidationError("Tidak ada nomor seri blanko.")
    if len(cleaned) > MAX_SERIALS:
        raise ValidationError(f"Terlalu banyak nomor seri (lebih dari {MAX_SERIALS:,}).")
    bad = [s for s in cleaned if not _SERIAL.match(s)]
    if bad:
        raise ValidationError(f"Nomor seri tidak sah: {serials_listed(bad)}.")
    seen, repeated = set(), []
    for serial in cleaned:
        if serial in seen:
            repeated.append(serial)
        seen.add(serial)
    if repeated:
        raise ValidationError(
            f"Nomor seri tercantum lebih dari sekali: {serials_listed(repeated)}."
        )
    return cleaned


def serials_listed(serials: list[str], shown: int = 20) -> str:
    text = ", ".join(serials[:shown])
    if len(serials) > shown:
        text += f" dan {grouped(len(serials) - shown)} lainnya"
    return text
