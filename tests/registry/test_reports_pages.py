"""The report pages under /admin/laporan/: who may open and download them, what the downloads
hold, bad filters, and a query count that does not grow with the data."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dukcapil import roles
from dukcapil.models import AuditAction, AuditEntry
from registry.models import ApplicationEvent, ApplicationStatus, CardApplication
from registry.reports.definitions import REPORTS
from tests.registry.factories import make_resident, nik_for

S = ApplicationStatus
pytestmark = pytest.mark.django_db
SLUGS = [report.slug for report in REPORTS]
NO_REPORTS = (
    roles.REGISTRATION,
    roles.RECORDING,
    roles.PRINTING,
    roles.HANDOVER,
    roles.BLANKS,
    None,  # staff with no role
)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def supervisor_client(client, make_user):
    client.force_login(make_user(roles.SUPERVISOR))
    return client


def _printed(n: int, *, actor, start: int = 1) -> list[CardApplication]:
    """``n`` printed cards waiting to be collected, each with its history in the event log."""
    now = timezone.now()
    made = []
    for serial in range(start, start + n):
        application = CardApplication.objects.create(
            resident=make_resident(nik=nik_for(serial), full_name=f'=HYPERLINK("x") {serial}'),
            kind="baru",
            status=S.PRINTED,
            applicant_present=True,
            submitted_by=actor,
            submitted_at=now - dt.timedelta(days=3),
            recorded_at=now - dt.timedelta(days=2),
            print_ready_at=now - dt.timedelta(days=1),
            printed_at=now,
            loaded_from_siak=True,  # no blank needed
        )
        made.append(application)
        steps = [("", S.SUBMITTED), (S.SUBMITTED, S.VERIFIED), (S.VERIFIED, S.RECORDED)]
        ApplicationEvent.objects.bulk_create(
            ApplicationEvent(
                application=application, from_status=a, to_status=b, actor=actor, at=now
            )
            for a, b in steps
        )
    return made


@pytest.mark.parametrize("role", NO_REPORTS)
def test_it_refuses_every_page_and_download_to_a_role_without_reports(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("reports:index")).status_code == 403
    for slug in SLUGS:
        assert client.get(reverse("reports:report", args=[slug])).status_code == 403, slug
        for fmt in ("xlsx", "csv"):
            url = reverse("reports:download", args=[slug, fmt])
            assert client.get(url).status_code == 403, url
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_it_sends_someone_not_signed_in_to_the_login_page(client):
    response = client.get(reverse("reports:report", args=["tunggakan"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_administrator_has_the_reports_but_not_the_broker_indicators(client, make_user):
    client.force_login(make_user(roles.ADMINISTRATOR))
    index = client.get(reverse("reports:index")).content.decode()
    assert "Tunggakan per status dan umur" in index
    assert "Indikasi calo" not in index
    assert client.get(reverse("reports:report", args=["tunggakan"])).status_code == 200
    assert client.get(reverse("reports:report", args=["indikasi-calo"])).status_code == 403
    url = reverse("reports:download", args=["indikasi-calo", "csv"])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("slug", SLUGS)
def test_the_supervisor_opens_every_report_and_downloads_it(supervisor_client, make_user, slug):
    _printed(2, actor=make_user(roles.REGISTRATION))
    page = supervisor_client.get(reverse("reports:report", args=[slug]))
    assert page.status_code == 200
    assert b"<table" in page.content
    first_header = page.context["headers"][0]
    for fmt in ("xlsx", "csv"):
        response = supervisor_client.get(reverse("reports:download", args=[slug, fmt]))
        assert response.status_code == 200
        body = _body(response)
        if fmt == "xlsx":
            sheet = load_workbook(io.BytesIO(body), read_only=True).active
            assert next(sheet.iter_rows(values_only=True))[0] == first_header
        else:
            assert next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[0] == first_header
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 2


def test_a_download_holds_what_the_page_shows_with_the_same_filters(supervisor_client):
    query = "bulan=2020-02"
    page = supervisor_client.get(f"{reverse('reports:report', args=['penggunaan-blanko'])}?{query}")
    assert f"unduh.csv?{query}" in page.content.decode()
    url = reverse("reports:download", args=["penggunaan-blanko", "csv"])
    rows = list(
        csv.reader(io.StringIO(_body(supervisor_client.get(f"{url}?{query}")).decode("utf-8-sig")))
    )
    assert rows[0][0] == "Tanggal"
    assert rows[1][0] == "01-02-2020"
    assert rows[-2][0] == "29-02-2020"
    assert rows[-1][0] == "Jumlah"
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.detail["filters"] == {"bulan": ["2020-02"]}
    assert entry.detail["rows"] == 30


def test_the_ready_list_masks_the_nik_and_neutralises_formulas(supervisor_client, make_user):
    _printed(1, actor=make_user(roles.REGISTRATION))
    nik = nik_for(1)
    page = supervisor_client.get(reverse("reports:report", args=["siap-diambil"])).content.decode()
    assert nik not in page and f"{nik[:6]}******{nik[12:]}" in page
    url = reverse("reports:download", args=["siap-diambil", "csv"])
    text = _body(supervisor_client.get(url)).decode("utf-8-sig")
    assert nik not in text
    assert "\"'=HYPERLINK" in text


@pytest.mark.parametrize(
    ("slug", "query", "message"),
    [
        ("tunggakan", "kecamatan=999999", "Masukkan pilihan yang valid"),
        ("progres-harian", "dari=2020-03-01&sampai=2020-02-01", "tidak boleh sebelum"),
        ("progres-harian", "dari=2019-01-01&sampai=2020-02-01", "Rentang paling panjang"),
        ("penggunaan-blanko", "bulan=2020-13", "Tulis bulan sebagai TTTT-BB"),
        ("kinerja", "per=lain", "Masukkan pilihan yang valid"),
    ],
)
def test_it_answers_bad_filters_with_a_message_and_no_rows(supervisor_client, slug, query, message):
    page = supervisor_client.get(f"{reverse('reports:report', args=[slug])}?{query}")
    assert page.status_code == 400
    assert message in page.content.decode()
    download = supervisor_client.get(f"{reverse('reports:download', args=[slug, 'csv'])}?{query}")
    assert download.status_code == 400
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_an_unknown_report_or_format_is_not_found(supervisor_client):
    assert supervisor_client.get(reverse("reports:report", args=["tidak-ada"])).status_code == 404
    url = reverse("reports:download", args=["tunggakan", "pdf"])
    assert supervisor_client.get(url).status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        _body(response)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_page_and_its_download_take_as_many_queries_for_more_data(
    supervisor_client, make_user, slug
):
    clerk = make_user(roles.REGISTRATION)
    _printed(1, actor=clerk)
    page, download = (
        reverse("reports:report", args=[slug]),
        reverse("reports:download", args=[slug, "xlsx"]),
    )
    small = _queries(supervisor_client, page), _queries(supervisor_client, download)
    _printed(12, actor=clerk, start=2)
    assert (_queries(supervisor_client, page), _queries(supervisor_client, download)) == small
