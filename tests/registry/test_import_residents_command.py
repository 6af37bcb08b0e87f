import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dukcapil.spreadsheets import read_table
from registry.models import Resident
from tests.registry.factories import SIAK_HEADERS, nik_for, siak_row

pytestmark = pytest.mark.django_db


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, SIAK_HEADERS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_it_imports_a_clean_file_and_exits_0(tmp_path, capsys):
    path = _write(tmp_path / "bip.csv", [siak_row(NIK=nik_for(i)) for i in (1, 2)])
    call_command("import_residents", str(path), verbosity=0)
    assert Resident.objects.count() == 2
    assert "Diimpor: 2 baru" in capsys.readouterr().out


def test_a_bad_row_stops_the_file_and_exits_1(tmp_path, capsys):
    rows = [siak_row(NIK=nik_for(1)), siak_row(NIK=nik_for(2), TGL_LHR="31-02-1990")]
    path = _write(tmp_path / "bip.csv", rows)
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_residents", str(path), verbosity=0)
    assert exit_info.value.code == 1
    assert Resident.objects.count() == 0
    captured = capsys.readouterr()
    assert "Baris 3: TGL_LHR" in captured.err and "TIDAK ADA YANG DIIMPOR" in captured.out


def test_valid_only_writes_the_rejected_rows_out(tmp_path):
    rows = [siak_row(NIK=nik_for(1)), siak_row(NIK=nik_for(2), NO_RT="X")]
    path = _write(tmp_path / "bip.csv", rows)
    out = tmp_path / "ditolak.xlsx"
    with pytest.raises(SystemExit):
        call_command(
            "import_residents", str(path), "--valid-only", "--rejected-out", str(out), verbosity=0
        )
    assert Resident.objects.count() == 1
    rejected = read_table(out.read_bytes(), out.name)
    assert [row[0] for row in rejected.rows] == [nik_for(2)]


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    path = tmp_path / "bip.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="XLSX rusak"):
        call_command("import_residents", str(path), verbosity=0)
