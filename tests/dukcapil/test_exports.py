import csv
import io

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse

from dukcapil.exports import spreadsheet_response
from dukcapil.models import AuditAction, AuditEntry
from dukcapil.sheet_writer import stream_csv
from shifts.models import Roster
from tests.registry.factories import make_resident

pytestmark = pytest.mark.django_db

FORMULA = tuple("=+-@")
ATTACKS = [
    "JL. X;=cmd|' /C calc'!A0",
    'JL. X,=HYPERLINK("http://x")',
    "JL. X\t+1+1",
    "JL. X; @SUM(A1)",
    "JL. X;\t=1+1",
    "JL. X\r\n;-2+3",
    "=1+1",
]


@pytest.fixture
def kasi(client, make_user):
    client.force_login(make_user("Kepala Seksi"))
    return client


def _cells(text: str, delimiter: str):
    """Every cell as a spreadsheet program might see it: by the CSV rules, or each line split
    on the delimiter regardless of quotes."""
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield from row
        for field in row:
            yield from field.split(delimiter)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_it_lets_no_cell_begin_a_formula_however_the_line_is_split(delimiter):
    text = b"".join(stream_csv(["ALAMAT"], [[value] for value in ATTACKS])).decode("utf-8-sig")
    for cell in _cells(text, delimiter):
        assert not cell.strip(' "').startswith(FORMULA), (delimiter, cell)


def test_it_quotes_every_field_so_a_semicolon_never_splits_a_value():
    text = b"".join(stream_csv(["ALAMAT", "RT"], [["JL. X;Y", 3]])).decode("utf-8-sig")
    assert text.splitlines()[1] == '"JL. X;Y","3"'
    [row] = list(csv.reader(io.StringIO(text.splitlines()[1]), delimiter=";"))
    assert len(row) == 1 and row[0].startswith("JL. X;Y")  # a ';' reader keeps it whole too


def test_a_supervisor_exporting_a_planted_address_gets_it_neutralised(kasi):
    make_resident(address="JL. X;=cmd|' /C calc'!A0")
    response = kasi.get(reverse("admin:registry_resident_export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    for delimiter in (",", ";", "\t"):
        for cell in _cells(text, delimiter):
            assert not cell.strip(' "').startswith(FORMULA)
    assert "JL. X;'=cmd" in text


@pytest.mark.parametrize(
    ("url", "report"),
    [
        (reverse("admin:registry_resident_export", args=["csv"]), "Data penduduk"),
        (reverse("admin:registry_resident_export", args=["xlsx"]), "Data penduduk"),
        (
            reverse("admin:registry_collectionqueueentry_announcement", args=["csv"]),
            "Pengumuman KTP-el siap diambil",
        ),
        (reverse("admin:stock_movement_export", args=["csv"]), "Buku besar blanko"),
        (
            reverse("admin:stock_movement_usage", args=["xlsx"]) + "?bulan=2020-01",
            "Laporan penggunaan blanko 01/2020",
        ),
    ],
)
def test_it_records_who_exported_which_report_when_the_download_finishes(kasi, url, report):
    response = kasi.get(url)
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()
    b"".join(response.streaming_content)
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (entry.actor_username, entry.object_repr) == ("kepala-seksi", report)
    assert entry.detail["report"] == report and entry.detail["complete"] is True


def test_it_records_the_filters_and_the_rows_written(kasi):
    make_resident(nik="5371012701900001", full_name="YOHANES NDOLU")
    make_resident(nik="5371012701900002", kk_number="5371012001150004", full_name="MARIA")
    url = reverse("admin:registry_resident_export", args=["csv"])
    response = kasi.get(url, {"sex__exact": "L", "q": "5371012701900001"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.detail["rows"] == len(rows) - 1 == 1
    assert entry.detail["filters"] == {"sex__exact": ["L"], "q": ["537101**********"]}
    assert entry.detail["format"] == "csv"


def test_it_records_a_download_broken_off_with_the_rows_sent_so_far(rf, make_user):
    request = rf.get("/admin/registry/resident/export/xlsx/")
    request.user = make_user("Kepala Seksi")
    response = spreadsheet_response(
        request=request, report="Uji", fmt="xlsx", name="uji", headers=["A"], rows=[[1]] * 9
    )
    next(iter(response.streaming_content))
    # Closing a response ends the request; the test's own database connection must survive.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()  # what the server does when the browser goes away
    finally:
        request_finished.connect(close_old_connections)
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.detail["complete"] is False and entry.detail["rows"] < 9


def test_it_records_the_roster_export(kasi, make_user):
    roster = Roster.objects.create(
        period_start="2020-01-06",
        period_end="2020-01-12",
        created_by=make_user(username="penyusun"),
    )
    response = kasi.get(reverse("admin:shifts_roster_export", args=[roster.pk]))
    b"".join(response.streaming_content)
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.object_repr.startswith("Jadwal dinas")
