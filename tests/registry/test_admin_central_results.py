"""The central system's result sheet in the admin: upload, preview, confirm — all or nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dukcapil.sheet_writer import xlsx_bytes
from registry.models import ApplicationEvent, ApplicationStatus, CardApplication
from registry.services.recording import central_result_apply
from tests.registry.factories import make_resident, nik_for

pytestmark = pytest.mark.django_db
S = ApplicationStatus

IMPORT = reverse("admin:registry_cardapplication_import")
CONFIRM = reverse("admin:registry_cardapplication_process_import")
CHANGELIST = reverse("admin:registry_cardapplication_changelist")


def _csv(rows, *, headers=("NIK", "STATUS"), encoding="utf-8", delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _upload(client, data: bytes, name="hasil-pusat.csv"):
    return client.post(IMPORT, {"import_file": SimpleUploadedFile(name, data), "resource": "0"})


def _confirm(client, preview, **extra):
    form = preview.context["confirm_form"]
    return client.post(CONFIRM, {f.name: f.value() for f in form}, **extra)


@pytest.fixture
def recorded(apply, advance):
    """``recorded(n)``: n residents (NIKs nik_for(1…n)), each with a recorded application."""

    def make(count: int) -> list[CardApplication]:
        return [
            advance(apply(make_resident(nik=nik_for(serial))), S.RECORDED)
            for serial in range(1, count + 1)
        ]

    return make


@pytest.fixture
def operator(client, staff):
    client.force_login(staff["recording"])
    return client


def _statuses(applications) -> list[str]:
    return [CardApplication.objects.get(pk=a.pk).status for a in applications]


def test_it_previews_the_counts_then_confirms_and_logs_one_event_each(operator, staff, recorded):
    applications = recorded(3)
    sheet = [[nik_for(1), "PRR"], [nik_for(2), "prr "], [nik_for(3), "GAGAL REKAM"]]
    events_before = ApplicationEvent.objects.count()

    preview = _upload(operator, _csv(sheet))
    text = preview.content.decode()
    assert "<td>Siap cetak (PRR)</td><td>2</td>" in text
    assert "<td>Gagal rekam</td><td>1</td>" in text
    assert _statuses(applications) == [S.RECORDED] * 3  # the preview writes nothing

    done = _confirm(operator, preview, follow=True)
    assert done.redirect_chain[-1][0] == CHANGELIST
    assert "Hasil dari pusat dicatat untuk 3 permohonan" in done.content.decode()
    assert _statuses(applications) == [S.PRINT_READY, S.PRINT_READY, S.ENROLL_FAILED]
    events = ApplicationEvent.objects.order_by("pk")[events_before:]
    assert [(e.application_id, e.from_status, e.to_status) for e in events] == [
        (applications[0].pk, S.RECORDED, S.PRINT_READY),
        (applications[1].pk, S.RECORDED, S.PRINT_READY),
        (applications[2].pk, S.RECORDED, S.ENROLL_FAILED),
    ]
    assert {e.actor for e in events} == {staff["recording"]}


def test_every_bad_row_is_reported_with_its_number_and_column_and_nothing_changes(
    operator, recorded
):
    applications = recorded(3)
    sheet = [
        [nik_for(1), "PRR"],
        ["5371013102900001", "PRR"],  # 31 February
        [nik_for(2), "SIAP"],
        [nik_for(99), "PRR"],  # nobody applied
        [nik_for(3), "PRR"],
        [nik_for(3), "DUPLIKAT"],
    ]
    events_before = ApplicationEvent.objects.count()

    page = _upload(operator, _csv(sheet))
    text = page.content.decode()
    assert page.context.get("confirm_form") is None
    assert "5 baris salah — tidak ada yang diubah" in text
    assert "<tr><td>3</td><td>NIK</td>" in text
    assert "<tr><td>4</td><td>STATUS</td><td>Status “SIAP” tidak dikenal" in text
    assert "<tr><td>5</td><td>NIK</td><td>Tidak ada permohonan berjalan untuk NIK ini." in text
    assert "<tr><td>6</td><td>NIK</td><td>NIK ini muncul lebih dari sekali." in text
    assert "<tr><td>7</td><td>NIK</td><td>NIK ini muncul lebih dari sekali." in text
    assert "<tr><td>2</td>" not in text  # the good row is not blamed
    assert _statuses(applications) == [S.RECORDED] * 3
    assert ApplicationEvent.objects.count() == events_before


def test_a_result_that_does_not_fit_the_status_is_reported(operator, recorded):
    recorded(1)
    page = _upload(operator, _csv([[nik_for(1), "DITOLAK"]]))
    assert "<tr><td>2</td><td>STATUS</td><td>Penolakan dari pusat hanya untuk" in (
        page.content.decode()
    )


def test_a_sheet_without_the_status_column_is_refused(operator, recorded):
    recorded(1)
    page = _upload(operator, _csv([[nik_for(1)]], headers=("NIK",)))
    assert "Kolom wajib tidak ada: STATUS." in page.content.decode()
    assert page.context.get("confirm_form") is None


def test_a_sheet_with_only_headers_offers_nothing_to_confirm(operator):
    page = _upload(operator, _csv([]))
    assert "tidak berisi baris data" in page.content.decode()
    assert page.context.get("confirm_form") is None


def test_a_result_entered_by_hand_after_the_preview_makes_the_confirmation_change_nothing(
    operator, staff, recorded
):
    applications = recorded(2)
    preview = _upload(operator, _csv([[nik_for(1), "PRR"], [nik_for(2), "PRR"]]))
    central_result_apply(
        application=applications[1], to_status=S.ENROLL_FAILED, actor=staff["recording"]
    )

    done = _confirm(operator, preview, follow=True)
    assert done.redirect_chain[-1][0] == IMPORT
    assert "Tidak ada yang diubah: Baris 3, kolom STATUS" in done.content.decode()
    assert _statuses(applications) == [S.RECORDED, S.ENROLL_FAILED]


def test_a_windows_1252_csv_with_semicolons_is_read(operator, recorded):
    applications = recorded(1)
    data = _csv(
        [[nik_for(1), "PRR", "JOSÉ DA CÔSTA"]],
        headers=("NIK", "STATUS", "NAMA_LGKP"),
        encoding="cp1252",
        delimiter=";",
    )
    _confirm(operator, _upload(operator, data))
    assert _statuses(applications) == [S.PRINT_READY]


def test_an_xlsx_sheet_is_read(operator, recorded):
    applications = recorded(1)
    data = xlsx_bytes(["NIK", "STATUS"], [[nik_for(1), "DUPLIKAT"]])
    _confirm(operator, _upload(operator, data, name="hasil-pusat.xlsx"))
    assert _statuses(applications) == [S.DUPLICATE]


@pytest.mark.parametrize("role", ["registration", "printing", "supervisor"])
def test_only_the_recording_desk_may_import(client, staff, recorded, role):
    applications = recorded(1)
    client.force_login(staff[role])
    assert client.get(IMPORT).status_code == 403
    assert _upload(client, _csv([[nik_for(1), "PRR"]])).status_code == 403
    assert client.post(CONFIRM, {}).status_code == 403
    assert "Impor hasil pusat" not in client.get(CHANGELIST).content.decode()
    assert _statuses(applications) == [S.RECORDED]


def test_the_recording_desk_finds_the_button_on_the_application_list(operator):
    page = operator.get(CHANGELIST)
    assert f'<a href="{IMPORT}" class="import_link">Impor hasil pusat</a>' in page.content.decode()


def test_the_confirmation_runs_a_fixed_number_of_queries(
    operator, recorded, django_assert_max_num_queries
):
    applications = recorded(33)
    few, many = applications[:3], applications[3:]
    few_preview = _upload(operator, _csv([[a.resident.nik, "PRR"] for a in few]))
    many_preview = _upload(operator, _csv([[a.resident.nik, "PRR"] for a in many]))

    with CaptureQueriesContext(connection) as queries:
        assert _confirm(operator, few_preview).status_code == 302
    with django_assert_max_num_queries(len(queries)):
        assert _confirm(operator, many_preview).status_code == 302
    assert _statuses(applications) == [S.PRINT_READY] * 33


def test_a_nik_excel_stored_as_a_number_is_refused(operator, recorded):
    # Excel keeps 15 digits of a number: the NIK it shows may be somebody else's.
    applications = recorded(1)
    data = xlsx_bytes(["NIK", "STATUS"], [[float(nik_for(1)), "PRR"]])
    page = _upload(operator, data, name="hasil-pusat.xlsx")
    assert "<tr><td>2</td><td>NIK</td><td>tersimpan sebagai angka" in page.content.decode()
    assert page.context.get("confirm_form") is None
    assert _statuses(applications) == [S.RECORDED]


def test_a_sheet_sent_again_skips_the_rows_already_applied(operator, recorded):
    applications = recorded(2)
    _confirm(operator, _upload(operator, _csv([[nik_for(1), "PRR"]])))
    events_before = ApplicationEvent.objects.count()

    preview = _upload(operator, _csv([[nik_for(1), "PRR"], [nik_for(2), "PRR"]]))
    assert "1 baris dilewati" in preview.content.decode()
    done = _confirm(operator, preview, follow=True)
    assert "1 sudah berstatus itu (dilewati)" in done.content.decode()
    assert _statuses(applications) == [S.PRINT_READY, S.PRINT_READY]
    assert ApplicationEvent.objects.count() == events_before + 1
