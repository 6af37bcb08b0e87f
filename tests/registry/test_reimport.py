"""The periodic SIAK refresh: a file of residents already registered, most of them unchanged."""

import pytest
from django.db import connection

from registry.models import Resident
from registry.services.resident_import import resident_import
from tests.registry.factories import nik_for, siak_row, table_of

pytestmark = pytest.mark.django_db
History = Resident.history.model


def _rows(count: int) -> list[dict]:
    return [siak_row(NIK=nik_for(i)) for i in range(1, count + 1)]


def _refreshed() -> list[dict]:
    rows = _rows(6)
    rows[1]["ALAMAT"] = "JL. FRANS SEDA NO. 1"
    rows[3]["NO_RT"] = "7"
    return rows


def test_a_reimport_changes_exactly_the_changed_rows_and_records_only_them(make_user):
    resident_import(table=table_of(_rows(6)), actor=None)
    before = dict(Resident.objects.values_list("nik", "updated_at"))
    kasi = make_user("Kepala Seksi")

    report = resident_import(table=table_of(_refreshed()), actor=kasi, source_name="bip.xlsx")

    assert (len(report.created), len(report.updated), report.unchanged) == (0, 2, 4)
    after = dict(Resident.objects.values_list("nik", "updated_at"))
    assert {nik for nik in before if before[nik] != after[nik]} == {nik_for(2), nik_for(4)}
    assert Resident.objects.get(nik=nik_for(2)).address == "JL. FRANS SEDA NO. 1"
    assert Resident.objects.get(nik=nik_for(4)).rt == "007"
    changes = History.objects.filter(history_type="~")
    assert sorted(changes.values_list("nik", flat=True)) == [nik_for(2), nik_for(4)]
    assert {(h.history_user, h.history_change_reason) for h in changes} == {
        (kasi, "Impor bip.xlsx")
    }
    assert History.objects.count() == 6 + 2


def test_the_preview_of_a_reimport_names_the_changes_and_writes_nothing():
    resident_import(table=table_of(_rows(6)), actor=None)
    report = resident_import(table=table_of(_refreshed()), actor=None, dry_run=True)
    assert [r["nik"] for r in report.updated] == [nik_for(2), nik_for(4)]
    assert report.updated[0]["address"] == "JL. FRANS SEDA NO. 1"
    assert not report.applied and History.objects.count() == 6
    assert Resident.objects.filter(address="JL. FRANS SEDA NO. 1").count() == 0


@pytest.mark.postgres
def test_unchanged_rows_cost_no_write():
    # xmin is the transaction that last wrote (or locked) a row: unchanged rows keep theirs.
    resident_import(table=table_of(_rows(6)), actor=None)

    def versions():
        with connection.cursor() as cursor:
            cursor.execute("SELECT nik, xmin::text FROM registry_resident ORDER BY nik")
            return dict(cursor.fetchall())

    before = versions()
    resident_import(table=table_of(_refreshed()), actor=None)
    after = versions()
    assert {nik for nik in before if before[nik] != after[nik]} == {nik_for(2), nik_for(4)}
