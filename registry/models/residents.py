import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords

from dukcapil.append_only import AppendOnlyModel, AppendOnlyQuerySet
from registry.nik import validate_kk_number, validate_nik

ADULT_AGE = 17


class District(models.Model):
    """Kecamatan, with its Kemendagri code ("53.71.01")."""

    code = models.CharField("kode", max_length=8, unique=True)
    name = models.CharField("nama", max_length=60)

    class Meta:
        verbose_name = "kecamatan"
        verbose_name_plural = "kecamatan"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """Kelurahan, with its Kemendagri code ("53.71.01.1001")."""

    code = models.CharField("kode", max_length=13, unique=True)
    name = models.CharField("nama", max_length=60)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="villages", verbose_name="kecamatan"
    )

    class Meta:
        verbose_name = "kelurahan"
        verbose_name_plural = "kelurahan"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Sex(models.TextChoices):
    MALE = "L", "LAKI-LAKI"
    FEMALE = "P", "PEREMPUAN"


class BloodType(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    AB = "AB", "AB"
    O = "O", "O"  # noqa: E741 — the blood type is called O
    A_POS = "A+", "A+"
    A_NEG = "A-", "A-"
    B_POS = "B+", "B+"
    B_NEG = "B-", "B-"
    AB_POS = "AB+", "AB+"
    AB_NEG = "AB-", "AB-"
    O_POS = "O+", "O+"
    O_NEG = "O-", "O-"
    UNKNOWN = "TT", "TIDAK TAHU"


class Religion(models.TextChoices):
    ISLAM = "ISLAM", "ISLAM"
    PROTESTANT = "KRISTEN", "KRISTEN"
    CATHOLIC = "KATHOLIK", "KATHOLIK"
    HINDU = "HINDU", "HINDU"
    BUDDHIST = "BUDHA", "BUDHA"
    CONFUCIAN = "KHONGHUCU", "KHONGHUCU"
    BELIEF = "KEPERCAYAAN", "KEPERCAYAAN TERHADAP TUHAN YME"


class MaritalStatus(models.TextChoices):
    SINGLE = "BELUM_KAWIN", "BELUM KAWIN"
    MARRIED = "KAWIN", "KAWIN"
    DIVORCED = "CERAI_HIDUP", "CERAI HIDUP"
    WIDOWED = "CERAI_MATI", "CERAI MATI"


class Nationality(models.TextChoices):
    CITIZEN = "WNI", "WNI"
    FOREIGNER = "WNA", "WNA"


class LifeStatus(models.TextChoices):
    ALIVE = "HIDUP", "HIDUP"
    DECEASED = "MENINGGAL", "MENINGGAL"
    MOVED_AWAY = "PINDAH", "PINDAH"


class SiakRecordStatus(models.IntegerChoices):
    """STAT_RKM of a SIAK/BIP export: where the person stands in the national system."""

    NOT_YET_OBLIGED = 1, "BELUM WAJIB"
    NOT_RECORDED = 2, "BELUM REKAM"
    RECORDED = 3, "SUDAH REKAM"
    CARD_PRINTED = 4, "KARTU TERCETAK"
    PRINT_READY = 5, "PRR"
    CARD_SHIPPED = 6, "KARTU TERKIRIM"
    SENT_FOR_PRINTING = 7, "DIKIRIM UNTUK CETAK"
    CARD_ISSUED = 8, "KARTU DIBERIKAN"


def adult_birth_date_cutoff(today: dt.date) -> dt.date:
    """Latest birth date of someone who is 17 or older on ``today`` (29 Feb → 28 Feb)."""
    try:
        return today.replace(year=today.year - ADULT_AGE)
    except ValueError:
        return today.replace(year=today.year - ADULT_AGE, day=28)


EVER_MARRIED = (MaritalStatus.MARRIED, MaritalStatus.DIVORCED, MaritalStatus.WIDOWED)


def eligible_q(today: dt.date | None = None) -> Q:
    """Wajib KTP: 17 or older, or married or previously married."""
    cutoff = adult_birth_date_cutoff(today or timezone.localdate())
    return Q(birth_date__lte=cutoff) | Q(marital_status__in=EVER_MARRIED)


class ResidentQuerySet(models.QuerySet):
    def with_eligibility(self, today: dt.date | None = None) -> "ResidentQuerySet":
        return self.annotate(
            is_eligible=models.ExpressionWrapper(
                eligible_q(today), output_field=models.BooleanField()
            )
        )


class ResidentHistoryQuerySet(AppendOnlyQuerySet, HistoricalQuerySet):
    """The history is evidence of who changed a resident: read, never rewritten."""


class Resident(models.Model):
    """Penduduk: one person on the register, keyed by NIK."""

    nik = models.CharField("NIK", max_length=16, validators=[validate_nik])
    kk_number = models.CharField("No. KK", max_length=16, validators=[validate_kk_number])
    full_name = models.CharField("nama lengkap", max_length=100)
    birth_place = models.CharField("tempat lahir", max_length=60)
    birth_date = models.DateField("tanggal lahir")
    sex = models.CharField("jenis kelamin", max_length=1, choices=Sex.choices)
    blood_type = models.CharField(
        "golongan darah", max_length=3, choices=BloodType.choices, default=BloodType.UNKNOWN
    )
    religion = models.CharField("agama", max_length=12, choices=Religion.choices)
    marital_status = models.CharField(
        "status perkawinan", max_length=12, choices=MaritalStatus.choices
    )
    occupation = models.CharField("pekerjaan", max_length=100, blank=True)
    nationality = models.CharField(
        "kewarganegaraan", max_length=3, choices=Nationality.choices, default=Nationality.CITIZEN
    )
    address = models.CharField("alamat", max_length=200)
    rt = models.CharField("RT", max_length=3)
    rw = models.CharField("RW", max_length=3)
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="residents", verbose_name="kelurahan"
    )
    phone = models.CharField("nomor telepon", max_length=20, blank=True)
    life_status = models.CharField(
        "status penduduk", max_length=10, choices=LifeStatus.choices, default=LifeStatus.ALIVE
    )
    siak_record_status = models.PositiveSmallIntegerField(
        "status rekam SIAK", choices=SiakRecordStatus.choices, null=True, blank=True
    )
    nik_review_note = models.CharField(
        "catatan tinjauan NIK",
        max_length=200,
        blank=True,
        help_text="Diisi otomatis bila NIK tidak cocok dengan data orangnya. NIK tidak diganti.",
    )
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    updated_at = models.DateTimeField("diubah", auto_now=True)

    # History is read per resident (by id); indexes on its other columns would only slow imports.
    history = HistoricalRecords(
        verbose_name="riwayat penduduk",
        no_db_index=["nik", "kk_number", "village"],
        bases=[AppendOnlyModel],
        historical_queryset=ResidentHistoryQuerySet,
    )
    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = "penduduk"
        verbose_name_plural = "penduduk"
        ordering = ["full_name", "id"]
        # Plain btree indexes: Django's unique=True/db_index=True would add a second
        # "_like" index per column on PostgreSQL, which no query here uses.
        # One per ordering the resident list offers — the column, then the default ordering as
        # tie-breaker (dukcapil.paginators.LargeListMixin) — read forwards or backwards. The
        # kelurahan one also serves the list filtered by kelurahan, the No. KK one the exact
        # search by No. KK; the NIK ordering is served by the NIK's unique index.
        indexes = [
            models.Index(fields=["full_name", "id"], name="resident_name_id_idx"),
            models.Index(fields=["kk_number", "full_name", "id"], name="resident_kk_name_id_idx"),
            models.Index(
                fields=["birth_date", "full_name", "id"], name="resident_born_name_id_idx"
            ),
            models.Index(
                fields=["village", "full_name", "id"], name="resident_village_name_id_idx"
            ),
        ]
        permissions = [
            ("view_full_nik", "Dapat melihat NIK, No. KK dan tanggal lahir lengkap"),
            ("import_resident", "Dapat mengimpor data penduduk"),
            ("export_resident", "Dapat mengekspor data penduduk"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["nik"],
                name="resident_nik_unique",
                violation_error_message="Penduduk dengan NIK ini sudah terdaftar.",
            ),
            models.CheckConstraint(
                condition=Q(nik__regex=r"^[0-9]{16}$"), name="resident_nik_16_digits"
            ),
            models.CheckConstraint(
                condition=Q(kk_number__regex=r"^[0-9]{16}$"), name="resident_kk_16_digits"
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="resident_sex_valid"),
            models.CheckConstraint(
                condition=Q(life_status__in=LifeStatus.values), name="resident_life_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(nationality__in=Nationality.values), name="resident_nationality_valid"
            ),
            models.CheckConstraint(
                condition=Q(rt__regex=r"^[0-9]{3}$") & Q(rw__regex=r"^[0-9]{3}$"),
                name="resident_rt_rw_3_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name
