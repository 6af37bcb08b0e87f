"""``manage.py report``: any report to a file, with the page's filters, audited under the
system user."""

import csv

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from dukcapil.accounts import SYSTEM_USERNAME
from dukcapil.models import AuditAction, AuditEntry
from registry.models import HandoverRefusal
from tests.registry.factories import make_resident

pytestmark = pytest.mark.django_db


def test_it_writes_the_blank_usage_of_a_month_as_xlsx(tmp_path, capsys):
    out = tmp_path / "blanko.xlsx"
    call_command("report", "penggunaan-blanko", "bulan=2020-02", "--format", "xlsx", "--out", out)
    rows = list(load_workbook(out, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0] == "Tanggal"
    assert len(rows) == 1 + 29 + 1  # the header, 29 days of February 2020, the month
    assert rows[-1][0] == "Jumlah"
    assert "30 baris ditulis" in capsys.readouterr().out
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.actor.username == SYSTEM_USERNAME
    assert entry.detail["filters"] == {"bulan": ["2020-02"]} and entry.detail["rows"] == 30


def test_it_writes_csv_with_the_defaults_of_the_page(tmp_path):
    out = tmp_path / "tunggakan.csv"
    call_command("report", "tunggakan", "--format", "csv", "--out", out)
    with out.open(encoding="utf-8-sig") as file:
        assert next(csv.reader(file))[0] == "Status"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["tidak-ada"], "Laporan 'tidak-ada' tidak ada"),
        (["tunggakan", "kecamatan"], "harus ditulis nama=nilai"),
        (["tunggakan", "nik=5371012701900001"], "Penyaring tidak dikenal: nik"),
        (["penggunaan-blanko", "bulan=Februari"], "Tulis bulan sebagai TTTT-BB"),
    ],
)
def test_it_refuses_bad_names_and_filters_and_writes_nothing(tmp_path, arguments, message):
    out = tmp_path / "laporan.csv"
    with pytest.raises(CommandError, match=message):
        call_command("report", *arguments, "--format", "csv", "--out", out)
    assert not out.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_system_user_sees_a_would_be_collectors_nik_masked(tmp_path, apply, staff):
    HandoverRefusal.objects.create(
        application=apply(make_resident()),
        at=timezone.now(),
        actor=staff["handover"],
        proxy_name="KETUA RT",
        proxy_nik="5371010101800001",
        reason="Bukan pemilik kartu.",
    )
    out = tmp_path / "calo.csv"
    since = f"dari={timezone.localdate().isoformat()}"
    call_command("report", "indikasi-calo", since, "--format", "csv", "--out", out)
    text = out.read_text(encoding="utf-8-sig")
    assert "537101******0001 KETUA RT" in text and "5371010101800001" not in text
