"""The reports: each one's address, title, filters, permission and table.

A report is for the Kepala Seksi and the Administrator: both hold ``registry.view_campaign``
(registry/roles.py), the permission of the campaign the reports measure. The broker
indicators also need ``registry.view_broker_indicators``, as on their admin page.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from registry.reports import filters, operations, selectors
from registry.selectors.applications import collection_queue

REPORTS_PERMISSION = "registry.view_campaign"
BROKERS_PERMISSION = "registry.view_broker_indicators"


@dataclass(frozen=True)
class Table:
    """What a report shows and downloads: its columns and rows, or, for a list of records,
    the records and how each becomes a row (the page shows them a page at a time)."""

    headers: Sequence[str]
    rows: Iterable[Sequence] = ()
    records: QuerySet | None = None
    row: Callable | None = None

    def all_rows(self) -> Iterable[Sequence]:
        if self.records is None:
            return self.rows
        return map(self.row, self.records.iterator(chunk_size=2_000))


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    description: str
    filterset: type[filters.ReportFilterSet]
    build: Callable[[filters.ReportFilterSet, object], Table]
    permissions: tuple[str, ...] = (REPORTS_PERMISSION,)
    queryset: Callable[[], QuerySet] | None = None  # the rows the filters select from

    def filters(self, data) -> filters.ReportFilterSet:
        return self.filterset(data, queryset=self.queryset() if self.queryset else None)

    def allowed(self, user) -> bool:
        return user.has_perms(self.permissions)


def _progress_by_day(f, user) -> Table:
    start, end = f.period()
    cleaned = f.cleaned
    # Without a region the totals of each day serve, which the summary keeps as such.
    region = cleaned.get("kecamatan") or cleaned.get("kelurahan")
    return Table(
        ["Tanggal", *selectors.PROGRESS_HEADERS],
        selectors.progress_by_day(
            start=start, end=end, villages=selectors.villages_of(cleaned) if region else None
        ),
    )


def _progress_by_region(f, user) -> Table:
    start, end = f.period()
    return Table(
        ["Kecamatan", "Kelurahan", *selectors.PROGRESS_HEADERS],
        selectors.progress_by_region(
            start=start, end=end, villages=selectors.villages_of(f.cleaned)
        ),
    )


def _ownership(f, user) -> Table:
    return Table(selectors.OWNERSHIP_HEADERS, selectors.ownership(villages=f.qs))


def _backlog(f, user) -> Table:
    return Table(selectors.BACKLOG_HEADERS, selectors.backlog(f.qs))


def _lead_times(f, user) -> Table:
    start, end = f.period()
    return Table(selectors.LEAD_HEADERS, selectors.lead_times(f.qs, start=start, end=end))


def _throughput(f, user) -> Table:
    headers, rows = selectors.throughput(f.qs, by=f.cleaned["per"])
    return Table(headers, rows)


def _blank_usage(f, user) -> Table:
    return Table(operations.BLANK_USAGE_HEADERS, operations.blank_usage(month=f.cleaned["bulan"]))


def _destructions(f, user) -> Table:
    return Table(operations.DESTRUCTION_HEADERS, operations.destruction_summary(f.qs))


def _cells(f):
    start, end = f.period()
    cleaned = f.cleaned
    return operations.coverage_cells(
        start=start, end=end, shift=cleaned.get("shift"), post=cleaned.get("pos")
    )


def _coverage(f, user) -> Table:
    return Table(operations.COVERAGE_HEADERS, operations.coverage_summary(_cells(f)))


def _gaps(f, user) -> Table:
    return Table(operations.GAP_HEADERS, operations.coverage_gaps(_cells(f)))


def _brokers(f, user) -> Table:
    since = f.cleaned["dari"]
    return Table(operations.BROKER_HEADERS, operations.broker_indicators(since=since, user=user))


def _ready(f, user) -> Table:
    today = timezone.localdate()
    return Table(
        operations.READY_HEADERS,
        records=operations.ready_records(f.qs),
        row=lambda application: operations.ready_row(application, today=today),
    )


REPORTS: tuple[Report, ...] = (
    Report(
        "progres-harian",
        "Progres per hari",
        "Permohonan per tahap (berkas, rekam, PRR, cetak, serah) per hari.",
        filters.EventFilterSet,
        _progress_by_day,
    ),
    Report(
        "progres-wilayah",
        "Progres per kecamatan dan kelurahan",
        "Permohonan per tahap dalam periode, per kelurahan pemohon.",
        filters.EventFilterSet,
        _progress_by_region,
    ),
    Report(
        "kepemilikan-ktp-el",
        "Kepemilikan KTP-el per kelurahan",
        "Penduduk wajib KTP-el, yang sudah rekam, sudah dicetak dan sudah diserahkan "
        "(di SIAK sebelum sistem ini dan di sini sejak itu), dengan persentasenya.",
        filters.OwnershipFilterSet,
        _ownership,
    ),
    Report(
        "tunggakan",
        "Tunggakan per status dan umur",
        "Permohonan terbuka menurut status dan lama menunggu di status itu.",
        filters.BacklogFilterSet,
        _backlog,
    ),
    Report(
        "waktu-proses",
        "Waktu proses antartahap",
        "Median dan persentil 90 hari antartahap (berkas → rekam → PRR → cetak → serah), "
        "per bulan selesainya tahap.",
        filters.LeadTimeFilterSet,
        _lead_times,
    ),
    Report(
        "kinerja",
        "Kinerja per shift, pos dan petugas",
        "Langkah yang dikerjakan, menurut tugas jaga saat itu (atau di luar jadwal).",
        filters.ThroughputFilterSet,
        _throughput,
    ),
    Report(
        "penggunaan-blanko",
        "Laporan penggunaan blanko",
        "Stok awal, diterima, terpakai, rusak, dimusnahkan, koreksi (termasuk hilang) dan "
        "stok akhir, per hari dan sebulan.",
        filters.MonthFilterSet,
        _blank_usage,
    ),
    Report(
        "pemusnahan",
        "Ringkasan pemusnahan",
        "Berita acara pemusnahan dalam periode dengan blanko per alasan rusak.",
        filters.DestructionFilterSet,
        _destructions,
    ),
    Report(
        "cakupan-jadwal",
        "Cakupan jadwal dinas",
        "Kebutuhan petugas per shift dan pos dibanding jadwal dinas yang terbit.",
        filters.CoverageFilterSet,
        _coverage,
    ),
    Report(
        "kekurangan-jadwal",
        "Kekurangan petugas",
        "Setiap shift dan pos yang kurang petugas menurut jadwal dinas yang terbit.",
        filters.CoverageFilterSet,
        _gaps,
    ),
    Report(
        "indikasi-calo",
        "Indikasi calo",
        "Pola yang perlu diperiksa: kontak atau pendamping yang sama pada keluarga berbeda, "
        "pengambilan diwakilkan yang ditolak, langkah di luar jadwal dinas.",
        filters.SinceFilterSet,
        _brokers,
        permissions=(REPORTS_PERMISSION, BROKERS_PERMISSION),
    ),
    Report(
        "siap-diambil",
        "KTP-el siap diambil",
        "Daftar untuk diumumkan per kelurahan; NIK selalu disamarkan.",
        filters.ReadyFilterSet,
        _ready,
        queryset=collection_queue,
    ),
)
REPORTS_BY_SLUG = {report.slug: report for report in REPORTS}
