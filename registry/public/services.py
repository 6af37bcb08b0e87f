"""/cek-ktp/: one resident's e-KTP status for the resident, rate-limited and logged.

Anyone may ask, so the answer says nothing about whether a NIK exists: an unknown NIK, a
wrong birth date and a resident without an application take the same path (the same cache
counters, the same one query, the same log insert) to the same answer. The counters live in
the configured cache, keyed by the NIK's hash, never the NIK itself.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from dukcapil.rate_limits import hits_count
from registry.lifecycle import OLD_CARD_RETURNED
from registry.models import ApplicationStatus, LookupOutcome, StatusLookup
from registry.public.selectors import latest_application
from registry.services.handover import FAMILY_POLICY

S = ApplicationStatus
HASH_SALT = "registry.public.status_lookup"


class LookupLimited(Exception):
    """Too many lookups; the message is for the resident."""


@dataclass(frozen=True)
class LookupAnswer:
    outcome: str
    # Ready: waiting since; issued: handed over on (None when SIAK did not say).
    on: dt.date | None = None
    rerecord: bool = False  # the recording failed and must be made again, in person
    bring: list[str] = field(default_factory=list)


def nik_hash(nik: str) -> str:
    """The NIK as the lookup log keeps it: an HMAC that nobody without the key can recompute."""
    secret = settings.DUKCAPIL_LOOKUP_HASH_KEY or settings.SECRET_KEY
    return salted_hmac(HASH_SALT, nik, secret=secret, algorithm="sha256").hexdigest()


def _limit_reached(address: str | None, hashed: str) -> tuple[str, str] | None:
    """(outcome, message) when this address or this NIK has used up its lookups."""
    now = timezone.localtime()
    per_address = settings.DUKCAPIL_LOOKUPS_PER_ADDRESS_MINUTE
    if hits_count(f"cek-ktp:ip:{address}:{now:%Y%m%d%H%M}", 60) > per_address:
        return LookupOutcome.ADDRESS_LIMIT, (
            f"Terlalu banyak pencarian dari perangkat ini (lebih dari {per_address} kali per "
            "menit). Tunggu satu menit, lalu coba lagi."
        )
    per_nik = settings.DUKCAPIL_LOOKUPS_PER_NIK_DAY
    if hits_count(f"cek-ktp:nik:{hashed}:{now:%Y%m%d}", 24 * 3600) > per_nik:
        return LookupOutcome.NIK_LIMIT, (
            f"NIK ini sudah dicek {per_nik} kali hari ini. Silakan coba lagi besok, atau "
            "tanyakan langsung di loket Dinas Dukcapil."
        )
    return None


def _to_collect(kind: str) -> list[str]:
    """What handover (registry.services.handover) asks of the resident."""
    bring = [
        "Tanda terima permohonan KTP-el.",
        "Kartu Keluarga asli, untuk pencocokan identitas.",
    ]
    if kind in OLD_CARD_RETURNED:
        bring.append("KTP-el lama Anda: ditarik saat KTP-el baru diserahkan.")
    bring.append("Surat keterangan pengganti KTP-el (suket), bila pernah menerimanya.")
    if settings.DUKCAPIL_HANDOVER_PROXY_POLICY == FAMILY_POLICY:
        bring.append(
            "Bila diwakilkan: hanya anggota keluarga dalam Kartu Keluarga yang sama, dengan "
            "membawa KTP-el asli miliknya."
        )
    else:
        bring.append("Datang sendiri: KTP-el tidak dapat diambilkan orang lain.")
    return bring


def _answer(application: dict | None) -> LookupAnswer:
    if application is None:
        return LookupAnswer(LookupOutcome.NONE, bring=["Kartu Keluarga asli."])
    status = application["status"]
    if status == S.PRINTED:
        since = timezone.localdate(application["waiting_since"])
        return LookupAnswer(LookupOutcome.READY, on=since, bring=_to_collect(application["kind"]))
    if status == S.ISSUED:
        issued = application["issued_at"]
        return LookupAnswer(LookupOutcome.ISSUED, on=issued and timezone.localdate(issued))
    rerecord = status == S.ENROLL_FAILED
    bring = ["Tanda terima permohonan KTP-el."] if rerecord else []
    return LookupAnswer(LookupOutcome.PROCESSING, rerecord=rerecord, bring=bring)


def status_lookup(*, nik: str, birth_date: dt.date, address: str | None) -> LookupAnswer:
    """The state of the resident's e-KTP, or LookupLimited; either way one log row."""
    hashed = nik_hash(nik)
    limited = _limit_reached(address, hashed)
    if limited:
        outcome, message = limited
    else:
        answer = _answer(latest_application(nik=nik, birth_date=birth_date))
        outcome = answer.outcome
    StatusLookup.objects.create(
        at=timezone.now(), address=address or None, nik_hash=hashed, outcome=outcome
    )
    if limited:
        raise LookupLimited(message)
    return answer
