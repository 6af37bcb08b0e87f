"""Demo residents of Kota Kupang: realistic households for trying the system and for benchmarks.

The output is deterministic for a seed. Ages and statuses describe the register on the first
day of the campaign (DESIGN.md §1), so "under 17" means under 17 on 27 January 2020.
"""

import datetime as dt
import random
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, islice
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from registry.models import (
    BloodType,
    LifeStatus,
    MaritalStatus,
    Religion,
    Resident,
    Sex,
    SiakRecordStatus,
    Village,
    adult_birth_date_cutoff,
)
from registry.nik import region_codes
from registry.services.residents import residents_insert

DEMO_SEED = 2020
AS_OF = dt.date(2020, 1, 27)
ADULT_BORN_BY = adult_birth_date_cutoff(AS_OF)
KK_ISSUED_FROM = dt.date(2006, 1, 1)


class NameBook(NamedTuple):
    male: list[str]
    female: list[str]
    family: list[str]


class Weighted:
    """Values with relative weights, each pick one random() call."""

    def __init__(self, weights: dict) -> None:
        self.values = list(weights)
        self.cum_weights = list(accumulate(weights.values()))
        self.total = self.cum_weights[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect(self.cum_weights, rng.random() * self.total)]


# fmt: off
STUDENT, JOBLESS, HOMEMAKER = "PELAJAR/MAHASISWA", "BELUM/TIDAK BEKERJA", "MENGURUS RUMAH TANGGA"
CIVIL_SERVANT, EMPLOYEE, TEACHER = "PEGAWAI NEGERI SIPIL (PNS)", "KARYAWAN SWASTA", "GURU"
SELF_EMPLOYED, FARMER, LABOURER = "WIRASWASTA", "PETANI/PEKEBUN", "BURUH HARIAN LEPAS"
TRADER = "PEDAGANG"
STREETS = [
    "EL TARI", "TIMOR RAYA", "FETOR FUNAY", "W.J. LALAMENTIK", "SOEKARNO", "AMABI", "NANGKA",
    "BUNDARAN PU", "FRANS SEDA", "PIET A. TALLO", "HERMAN JOHANNES", "ADISUCIPTO", "CAK DOKO",
    "PERINTIS KEMERDEKAAN", "MOH. HATTA", "JEND. SUDIRMAN", "AHMAD YANI", "SILIWANGI", "KOSASIH",
    "R.A. KARTINI", "ALFONS NISNONI", "SAM RATULANGI", "YOS SUDARSO", "SUMATERA", "BAJAWA",
    "KEJORA", "THAMRIN", "PALAPA", "VETERAN", "KENARI", "MANGGA", "KEDONDONG", "NUSA INDAH",
    "JALUR 40", "MONGINSIDI", "OEPOI", "MATANI", "BATU KADERA", "SUMBA", "FLORES", "ROTE",
]
# Kabupaten/kota of NTT and the town its people give as their birth place.
NTT_TOWNS = {
    "5301": "OELAMASI", "5302": "SOE", "5303": "KEFAMENANU", "5304": "ATAMBUA",
    "5305": "KALABAHI", "5306": "LARANTUKA", "5307": "MAUMERE", "5308": "ENDE",
    "5309": "BAJAWA", "5310": "RUTENG", "5311": "WAINGAPU", "5312": "WAIKABUBAK",
    "5313": "LEWOLEBA", "5314": "ROTE", "5315": "LABUAN BAJO", "5316": "MBAY",
    "5317": "WAIBAKUL", "5318": "TAMBOLAKA", "5319": "BORONG", "5320": "SABU", "5321": "BETUN",
}
NTT_NAMES = NameBook(
    male=[
        "YOHANES", "AGUSTINUS", "YOSEPH", "KRISTOFORUS", "FRANSISKUS", "PETRUS", "PAULUS",
        "MARKUS", "YAKOBUS", "SIMON", "STEFANUS", "MIKHAEL", "GABRIEL", "DOMINGGUS", "ALOYSIUS",
        "ANTONIUS", "BERNADUS", "YULIUS", "ARNOLDUS", "DANIEL", "SAMUEL", "ELIAS", "MATHEUS",
        "LUKAS", "ANDREAS", "FILIPUS", "YOSUA", "ABRAHAM", "ISAK", "ZAKARIAS", "HENDRIK",
        "FREDERIK", "NIKOLAUS", "SEBASTIANUS", "VINSENSIUS", "ADRIANUS", "YERMIAS", "OKTOVIANUS",
        "MARTINUS", "MELKIANUS", "BUDI", "AGUS", "RUDI", "HENDRA", "JEFRI", "RONALD",
    ],
    female=[
        "MARIA", "FRANSISKA", "MARTHA", "YULIANA", "AGUSTINA", "MAGDALENA", "ELISABETH",
        "KATARINA", "MARGARETHA", "SUSANA", "DORKAS", "DEBORA", "RUT", "YOHANA", "SERLY",
        "NOVITA", "FERONIKA", "ANTONIA", "BERNADETA", "PAULINA", "PRISKILA", "SARA", "REGINA",
        "SELFIANA", "YUSTINA", "ANA", "MERLIN", "OKTAVIA", "FEBRIANTI", "YOSEFINA", "KRISTINA",
        "LENI", "DEWI", "SRI", "RINA",
    ],
    family=[
        "NDOLU", "BENU", "LAKA", "SABU", "MESAKH", "NENOBAIS", "TOLLE", "KOLO", "ADOE", "LIU",
        "MANAFE", "FANGGIDAE", "PELLO", "RIWU", "TAOLIN", "BANAMTUAN", "NALLE", "NUBATONIS",
        "NDOEN", "PANIE", "TALLO", "DIMU", "LEDE", "BIRE", "KANA", "HAU", "TEFA", "SELAN", "SEO",
        "BANI", "MALELAK", "TUAMES", "PARERA", "DA COSTA", "DE ROSARI", "GOMES", "LEWAR", "WOLO",
        "BOKI", "TEFNAY", "KOROH", "AMALO", "LENAMA", "TANESIB", "LAY", "TANONE", "DJAHA", "ROHI",
        "LADO", "HENUK", "BOLLA", "NGGADAS",
    ],
)
NAME_BOOKS = {
    Religion.ISLAM: NameBook(
        ["MUHAMMAD", "AHMAD", "ABDUL", "HASAN", "IBRAHIM", "ISMAIL", "SYAMSUDIN", "RAHMAT", "ARIF"],
        ["SITI", "NUR", "FATIMAH", "AISYAH", "HALIMAH", "KHADIJAH", "RAHMA", "ZAINAB", "NURHAYATI"],
        ["RAHMAN", "HAMID", "SALEH", "BAKAR", "YUSUF", "HUSEIN", "ANWAR", "SYARIF", "BADJIDEH"],
    ),
    Religion.HINDU: NameBook(
        ["I MADE", "I WAYAN", "I KETUT", "I NYOMAN", "I GEDE"],
        ["NI MADE", "NI LUH", "NI KETUT", "NI WAYAN", "NI NYOMAN"],
        ["SUDARSANA", "ASTAWA", "WIRAWAN", "SUARDANA", "ARTAWAN"],
    ),
    Religion.BUDDHIST: NameBook(
        ["HENDRA", "WILLIAM", "SUSANTO", "GUNAWAN", "HARTONO"],
        ["LINDA", "MEILANI", "SUSANTI", "YENNY", "LILIS"],
        ["LIU", "TAN", "LIEM", "ONG", "TANONE"],
    ),
}
RELIGIONS = Weighted({
    Religion.PROTESTANT: 61, Religion.CATHOLIC: 25, Religion.ISLAM: 12, Religion.HINDU: 1.2,
    Religion.BUDDHIST: 0.8,
})
BLOOD_TYPES = Weighted({
    BloodType.UNKNOWN: 52, BloodType.O: 17, BloodType.B: 12, BloodType.A: 11, BloodType.AB: 3,
    BloodType.O_POS: 2, BloodType.A_POS: 1.5, BloodType.B_POS: 1.5,
})
CHILDREN = Weighted({0: 6, 1: 12, 2: 24, 3: 26, 4: 18, 5: 14})
WORK_YOUNG = Weighted({STUDENT: 60, JOBLESS: 18, EMPLOYEE: 10, SELF_EMPLOYED: 7, LABOURER: 5})
WORK_MEN = Weighted({
    SELF_EMPLOYED: 22, CIVIL_SERVANT: 14, EMPLOYEE: 14, LABOURER: 10, FARMER: 8, "SOPIR": 6,
    TRADER: 5, JOBLESS: 5, "NELAYAN/PERIKANAN": 4, TEACHER: 4, "TUKANG KAYU": 3,
    "TENTARA NASIONAL INDONESIA (TNI)": 2, "KEPOLISIAN RI (POLRI)": 2, "PENDETA": 1,
})
WORK_WOMEN = Weighted({
    HOMEMAKER: 40, SELF_EMPLOYED: 12, CIVIL_SERVANT: 11, EMPLOYEE: 10, TEACHER: 7, TRADER: 6,
    JOBLESS: 5, FARMER: 4, "PERAWAT": 3, "BIDAN": 2,
})
WORK_ELDERLY = Weighted({
    "PENSIUNAN": 30, JOBLESS: 25, HOMEMAKER: 20, FARMER: 15, SELF_EMPLOYED: 10,
})
LIFE = Weighted({LifeStatus.ALIVE: 98.7, LifeStatus.MOVED_AWAY: 1, LifeStatus.DECEASED: 0.3})
LIFE_ELDERLY = Weighted({LifeStatus.ALIVE: 95, LifeStatus.MOVED_AWAY: 1, LifeStatus.DECEASED: 4})
# New adults are the ones the campaign is after; most older adults hold a card already.
SIAK_NEW_ADULT = Weighted({
    SiakRecordStatus.NOT_RECORDED: 55, SiakRecordStatus.RECORDED: 25,
    SiakRecordStatus.CARD_ISSUED: 15, SiakRecordStatus.PRINT_READY: 5,
})
SIAK_ADULT = Weighted({
    SiakRecordStatus.CARD_ISSUED: 52, SiakRecordStatus.RECORDED: 30,
    SiakRecordStatus.NOT_RECORDED: 8, SiakRecordStatus.PRINT_READY: 4,
    SiakRecordStatus.CARD_PRINTED: 3, SiakRecordStatus.SENT_FOR_PRINTING: 2,
    SiakRecordStatus.CARD_SHIPPED: 1,
})
PHONE_PREFIXES = ["11", "12", "13", "21", "22", "23", "52", "53", "77", "78", "81", "95"]
# fmt: on


class Member(NamedTuple):
    age: int
    sex: str
    marital: str
    family: str


class _Town:
    """One run of the generator: its random source and the NIK and No. KK serials handed out.

    People come out as rows ({attname: value}), which is what the bulk insert takes; making
    model instances would cost more than everything else here.
    """

    def __init__(self, rng: random.Random, villages: Sequence[Village]) -> None:
        self.rng = rng
        self.villages = list(villages)
        self.village_index = Weighted({i: rng.uniform(0.5, 2) for i in range(len(villages))})
        self.streets = [rng.sample(STREETS, 6) for _ in self.villages]
        known = region_codes()[1]
        self.regencies = [code for code in NTT_TOWNS if code in known]
        self.towns = list(NTT_TOWNS.values())
        self.kk_days = (AS_OF - KK_ISSUED_FROM).days
        # Serials count up per NIK (or No. KK) prefix, as Dukcapil hands them out; a prefix
        # would need 9,999 people born on one day in one kecamatan to run out.
        self.nik_serials: dict[str, int] = {}
        self.kk_serials: dict[str, int] = {}

    def rows(self) -> Iterator[dict]:
        while True:
            religion = RELIGIONS.pick(self.rng)
            book = NAME_BOOKS.get(religion, NTT_NAMES)
            village, home = self._home()
            for member in self._members(book):
                yield self._person(member, village, home, religion, book)

    def _home(self) -> tuple[Village, dict]:
        """The kelurahan and what a household shares: No. KK and address."""
        rng = self.rng
        index = self.village_index.pick(rng)
        village = self.villages[index]
        issued = KK_ISSUED_FROM + dt.timedelta(days=rng.randrange(self.kk_days))
        prefix = f"5371{village.code[6:8]}{_ddmmyy(issued.day, issued)}"
        serial = self.kk_serials[prefix] = self.kk_serials.get(prefix, 0) + 1
        return village, {
            "kk_number": f"{prefix}{serial:04d}",
            "address": f"JL. {rng.choice(self.streets[index])} NO. {rng.randint(1, 150)}",
            "rt": f"{rng.randint(1, 20):03d}",
            "rw": f"{rng.randint(1, 10):03d}",
            "village_id": village.pk,
        }

    def _members(self, book: NameBook) -> list[Member]:
        rng = self.rng
        kind = rng.random()
        family = rng.choice(book.family)
        if kind < 0.07:  # a student or a young worker living alone
            return [
                Member(rng.randint(19, 34), rng.choice(Sex.values), MaritalStatus.SINGLE, family)
            ]
        if kind < 0.12:  # elderly living alone, mostly widows
            sex = Sex.MALE if rng.random() < 0.3 else Sex.FEMALE
            return [Member(rng.randint(60, 90), sex, MaritalStatus.WIDOWED, family)]
        if kind < 0.20:  # a parent alone after a death or a divorce
            sex = Sex.MALE if rng.random() < 0.2 else Sex.FEMALE
            marital = rng.choice((MaritalStatus.WIDOWED, MaritalStatus.DIVORCED))
            parent = Member(int(rng.triangular(27, 70, 40)), sex, marital, family)
            return [parent, *self._children(parent.age, family, family)]
        husband = Member(int(rng.triangular(21, 78, 35)), Sex.MALE, MaritalStatus.MARRIED, family)
        # Many wives carry their husband's family name, many keep their own.
        wife_family = family if rng.random() < 0.5 else rng.choice(book.family)
        wife_age = max(18, husband.age - rng.randint(-2, 8))
        wife = Member(wife_age, Sex.FEMALE, MaritalStatus.MARRIED, wife_family)
        members = [husband, wife, *self._children(wife.age, family, wife_family)]
        if rng.random() < 0.08:  # a widowed grandparent lives with them
            sex = Sex.FEMALE if rng.random() < 0.75 else Sex.MALE
            age = min(95, husband.age + rng.randint(22, 35))
            members.append(Member(age, sex, MaritalStatus.WIDOWED, rng.choice(book.family)))
        return members

    def _children(self, mother_age: int, family: str, mother_family: str) -> list[Member]:
        """The mother's children born so far who have not left home yet (up to 27 years old)."""
        rng = self.rng
        children = []
        for _ in range(CHILDREN.pick(rng)):
            age = mother_age - rng.randint(19, 42)
            if 0 <= age <= 27:
                name = family if rng.random() < 0.9 else mother_family
                children.append(Member(age, rng.choice(Sex.values), MaritalStatus.SINGLE, name))
        return sorted(children, reverse=True)

    def _person(
        self, member: Member, village: Village, home: dict, religion: str, book: NameBook
    ) -> dict:
        rng = self.rng
        age, sex = member.age, member.sex
        born = AS_OF - dt.timedelta(days=int(age * 365.25) + rng.randrange(365))
        wajib = born <= ADULT_BORN_BY or member.marital != MaritalStatus.SINGLE
        names = book.male if sex == Sex.MALE else book.female
        given = rng.choice(names)
        if rng.random() < 0.3:
            given = f"{given} {rng.choice(names)}"
        region, birth_place = self._origin(village)
        return {
            **home,
            "nik": self._nik(region, born, sex),
            "full_name": f"{given} {member.family}",
            "birth_place": birth_place,
            "birth_date": born,
            "sex": sex,
            "blood_type": BLOOD_TYPES.pick(rng),
            "religion": religion,
            "marital_status": member.marital,
            "occupation": self._occupation(age, sex),
            "phone": self._phone() if wajib and rng.random() < 0.45 else "",
            "life_status": (LIFE_ELDERLY if age >= 60 else LIFE).pick(rng),
            "siak_record_status": (
                (SIAK_NEW_ADULT if age < 19 else SIAK_ADULT).pick(rng)
                if wajib
                else SiakRecordStatus.NOT_YET_OBLIGED
            ),
        }

    def _origin(self, village: Village) -> tuple[str, str]:
        """Region of first registration (NIK digits 1–6) and birth place."""
        rng = self.rng
        if rng.random() < 0.1:
            regency = rng.choice(self.regencies)
            return f"{regency}{rng.randint(1, 10):02d}", NTT_TOWNS[regency]
        place = "KUPANG" if rng.random() < 0.8 else rng.choice(self.towns)
        return f"5371{village.code[6:8]}", place

    def _nik(self, region: str, born: dt.date, sex: str) -> str:
        day = born.day + 40 if sex == Sex.FEMALE else born.day
        prefix = f"{region}{_ddmmyy(day, born)}"
        serial = self.nik_serials[prefix] = self.nik_serials.get(prefix, 0) + 1
        return f"{prefix}{serial:04d}"

    def _occupation(self, age: int, sex: str) -> str:
        if age < 6:
            return JOBLESS
        if age < 18:
            return STUDENT
        if age < 23:
            return WORK_YOUNG.pick(self.rng)
        if age >= 60:
            return WORK_ELDERLY.pick(self.rng)
        return (WORK_MEN if sex == Sex.MALE else WORK_WOMEN).pick(self.rng)

    def _phone(self) -> str:
        digits = self.rng.randint(7, 9)
        number = self.rng.randrange(10**digits)
        return f"08{self.rng.choice(PHONE_PREFIXES)}{number:0{digits}d}"


def _ddmmyy(day: int, date: dt.date) -> str:
    # strftime is several times slower, and this runs for every resident and household.
    return f"{day:02d}{date.month:02d}{date.year % 100:02d}"


def generate_residents(
    count: int, *, seed: int = DEMO_SEED, villages: Sequence[Village]
) -> Iterator[Resident]:
    """``count`` unsaved residents in households of Kota Kupang.

    The same seed and the same villages (in the same order) give the same residents.
    """
    by_pk = {village.pk: village for village in villages}
    for row in islice(_Town(random.Random(seed), villages).rows(), count):
        village = by_pk[row.pop("village_id")]
        yield Resident(**row, village=village)


def seed_residents(
    *,
    count: int,
    actor: AbstractBaseUser | None = None,
    batch_size: int = 20_000,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Insert ``count`` demo residents with their history; returns how many were inserted.

    Residents already in the register are taken for earlier demo residents: the generator
    continues after them, so seeding again adds new people instead of repeating NIKs.
    """
    existing = Resident.objects.count()
    rows = _Town(random.Random(DEMO_SEED), list(Village.objects.all())).rows()
    rows = islice(rows, existing, existing + count)
    inserted = 0
    while batch := list(islice(rows, batch_size)):
        with transaction.atomic():
            residents_insert(rows=batch, actor=actor, reason="Data demo")
        inserted += len(batch)
        if progress:
            progress(len(batch))
    return inserted
