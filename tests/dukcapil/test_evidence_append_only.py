"""The evidence tables are written once: resident history, roster amendments, refused handovers,
destruction records and the admin log are never changed or deleted, by the admin, the code or
a database shell with the application's credentials. A destruction record is signed once."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from dukcapil import roles
from registry.models import HandoverRefusal, Resident, StatusLookup
from shifts.models import Amendment, Post
from stock.models import Destruction
from tests.dukcapil.matrix_world import world_build

pytestmark = pytest.mark.django_db

HistoricalResident = Resident.history.model
# world key → the column a forger would rewrite
EVIDENCE = {
    "resident_history": "full_name",
    "amendment": "reason",
    "handoverrefusal": "proxy_name",
    "statuslookup": "outcome",
    "destruction": "witnesses",
    "logentry": "change_message",
}
GUARDED_MODELS = {
    "resident_history": HistoricalResident,
    "amendment": Amendment,
    "handoverrefusal": HandoverRefusal,
    "statuslookup": StatusLookup,
    "destruction": Destruction,
}
ADMIN_PAGES = {
    "amendment": "shifts_amendment",
    "handoverrefusal": "registry_handoverrefusal",
    "statuslookup": "registry_statuslookup",
    "destruction": "stock_destruction",
}


@pytest.fixture
def world():
    w = world_build()
    w["logentry"] = LogEntry.objects.log_actions(
        user_id=w["people"][roles.ADMINISTRATOR].pk,
        queryset=[w["village"]],
        action_flag=CHANGE,
        change_message="Nama kelurahan diubah",
        single_object=True,
    )
    return w


def _row(obj) -> dict:
    return type(obj).objects.filter(pk=obj.pk).values().get()


def _refused(sql: str, params: list) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.postgres
@pytest.mark.parametrize("key", EVIDENCE)
def test_it_refuses_an_sql_update_and_delete_of_evidence(world, key):
    record = world[key]
    before = _row(record)
    table, pk = record._meta.db_table, record._meta.pk.column
    column = record._meta.get_field(EVIDENCE[key]).column

    _refused(f"UPDATE {table} SET {column} = 'DIPALSUKAN' WHERE {pk} = %s", [record.pk])
    _refused(f"DELETE FROM {table} WHERE {pk} = %s", [record.pk])

    assert _row(record) == before


@pytest.mark.parametrize("key", GUARDED_MODELS)
def test_it_refuses_to_save_again_or_delete_evidence_in_code(world, key):
    record, model = world[key], GUARDED_MODELS[key]
    before = _row(record)
    setattr(record, EVIDENCE[key], "DIPALSUKAN")

    with pytest.raises(PermissionError, match="tidak dapat diubah"):
        record.save()
    with pytest.raises(PermissionError, match="tidak dapat dihapus"):
        record.delete()
    with pytest.raises(PermissionError, match="tidak dapat diubah"):
        model.objects.filter(pk=record.pk).update(**{EVIDENCE[key]: "DIPALSUKAN"})
    with pytest.raises(PermissionError, match="tidak dapat dihapus"):
        model.objects.filter(pk=record.pk).delete()

    assert _row(record) == before


def test_it_refuses_bulk_rewrites_of_a_resident_history(world):
    resident = world["resident"]
    count = resident.history.count()
    with pytest.raises(PermissionError, match="Riwayat penduduk tidak dapat dihapus"):
        resident.history.all().delete()
    with pytest.raises(PermissionError, match="Riwayat penduduk tidak dapat diubah"):
        resident.history.update(history_change_reason="DIPALSUKAN")
    assert resident.history.count() == count


@pytest.mark.parametrize("role", [roles.SUPERVISOR, roles.ADMINISTRATOR])
@pytest.mark.parametrize("key", ADMIN_PAGES)
def test_the_admin_refuses_to_change_or_delete_evidence(client, world, role, key):
    record = world[key]
    before = _row(record)
    client.force_login(world["people"][role])
    page = ADMIN_PAGES[key]

    change = client.post(
        reverse(f"admin:{page}_change", args=[record.pk]), {EVIDENCE[key]: "DIPALSUKAN"}
    )
    delete = client.post(reverse(f"admin:{page}_delete", args=[record.pk]), {"post": "yes"})

    assert (change.status_code, delete.status_code) == (403, 403)
    assert _row(record) == before


@pytest.mark.parametrize("role", [roles.SUPERVISOR, roles.ADMINISTRATOR])
def test_the_admin_has_no_page_to_edit_the_admin_log_or_a_history_row(client, world, role):
    client.force_login(world["people"][role])
    entry, history = world["logentry"], world["resident_history"]
    before = (_row(entry), _row(history))

    for url in (
        f"/admin/admin/logentry/{entry.pk}/change/",
        f"/admin/admin/logentry/{entry.pk}/delete/",
        f"/admin/registry/historicalresident/{history.pk}/change/",
        f"/admin/registry/historicalresident/{history.pk}/delete/",
    ):
        assert client.post(url, {"change_message": "DIPALSUKAN", "post": "yes"}).status_code == 404

    assert (_row(entry), _row(history)) == before


def test_a_published_roster_with_amendments_cannot_be_deleted(world):
    roster = world["published_roster"]
    with pytest.raises(ProtectedError):
        roster.delete()
    assert Amendment.objects.filter(roster=roster).exists()


def _sign(client, world) -> Destruction:
    record = world["destruction"]
    client.force_login(world["people"][roles.SUPERVISOR])
    approve = {"action": "approve_selected", "_selected_action": [record.pk]}
    client.post(reverse("admin:stock_destruction_changelist"), approve)
    record.refresh_from_db()
    return record


def test_the_kepala_seksi_signs_a_destruction_record_once(client, world):
    record = _sign(client, world)
    assert record.approved_by == world["people"][roles.SUPERVISOR]
    signed = _row(record)

    approve = {"action": "approve_selected", "_selected_action": [record.pk]}
    page = client.post(reverse("admin:stock_destruction_changelist"), approve, follow=True)
    assert "sudah disetujui" in page.content.decode()
    record.approved_at = timezone.now()
    with pytest.raises(PermissionError, match="tidak dapat diubah"):
        record.save(update_fields=["approved_by", "approved_at"])

    assert _row(record) == signed


@pytest.mark.postgres
def test_postgresql_refuses_to_resign_or_unsign_a_signed_destruction_record(client, world):
    record = _sign(client, world)
    signed = _row(record)

    _refused(
        "UPDATE stock_destruction SET approved_at = %s WHERE id = %s", [timezone.now(), record.pk]
    )
    _refused(
        "UPDATE stock_destruction SET approved_by_id = NULL, approved_at = NULL WHERE id = %s",
        [record.pk],
    )

    assert _row(record) == signed


@pytest.mark.postgres
def test_signing_a_destruction_record_cannot_rewrite_it(world):
    record = world["destruction"]
    before = _row(record)
    signer = world["people"][roles.SUPERVISOR]

    _refused(
        "UPDATE stock_destruction SET approved_by_id = %s, approved_at = %s, witnesses = 'X' "
        "WHERE id = %s",
        [signer.pk, timezone.now(), record.pk],
    )
    record.witnesses, record.approved_by, record.approved_at = "X", signer, timezone.now()
    with pytest.raises(PermissionError):
        record.save(update_fields=["witnesses", "approved_by", "approved_at"])

    assert _row(record) == before


def test_the_administrator_still_writes_the_admin_log(client, world):
    administrator = world["people"][roles.ADMINISTRATOR]
    client.force_login(administrator)
    post = Post.objects.get(code="REK")

    response = client.post(
        reverse("admin:shifts_post_change", args=[post.pk]), {"code": "REK", "name": "Rekam"}
    )

    assert response.status_code == 302
    entry = LogEntry.objects.filter(user=administrator, object_id=str(post.pk)).get()
    assert entry.action_flag == CHANGE
