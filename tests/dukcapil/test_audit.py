import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from dukcapil.audit import audit_record
from dukcapil.models import AuditAction, AuditEntry
from dukcapil.roles import ADMINISTRATOR, PRINTING, SUPERVISOR

pytestmark = pytest.mark.django_db


def test_it_names_the_actor_and_the_record(make_user, rf):
    clerk = make_user(PRINTING)
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    entry = audit_record(
        actor=clerk, action=AuditAction.EXPORT, obj=clerk, detail={"rows": 3}, request=request
    )
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_username, entry.ip) == (clerk, "operator-cetak", "10.1.2.3")
    assert (entry.object_type, entry.object_id, entry.detail) == (
        "auth.user",
        str(clerk.pk),
        {"rows": 3},
    )


def test_it_keeps_the_typed_name_when_no_account_matches():
    entry = audit_record(actor=None, action=AuditAction.LOGIN_FAILED, username="tamu")
    assert (entry.actor, entry.actor_username) == (None, "tamu")


def test_the_model_refuses_edits_and_deletes(make_user):
    entry = audit_record(actor=make_user(PRINTING), action=AuditAction.EXPORT)
    entry.object_repr = "diubah"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


@pytest.mark.postgres
def test_postgresql_refuses_update_and_delete_from_sql(make_user):
    audit_record(actor=make_user(PRINTING), action=AuditAction.EXPORT)
    for statement in (
        "UPDATE dukcapil_auditentry SET object_repr = 'x'",
        "DELETE FROM dukcapil_auditentry",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEntry.objects.count() == 1


def test_the_supervisor_searches_it_and_nobody_edits_it(client, make_user):
    supervisor = make_user(SUPERVISOR)
    audit_record(actor=make_user(PRINTING), action=AuditAction.EXPORT, object_repr="penduduk")
    client.force_login(supervisor)
    listing = client.get(reverse("admin:dukcapil_auditentry_changelist"), {"q": "operator-cetak"})
    assert listing.status_code == 200
    assert "penduduk" in listing.content.decode()
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    change = client.post(
        reverse("admin:dukcapil_auditentry_change", args=[entry.pk]), {"object_repr": "x"}
    )
    assert change.status_code == 403
    delete = client.post(
        reverse("admin:dukcapil_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "penduduk"


@pytest.mark.parametrize("role", [PRINTING, ADMINISTRATOR])
def test_other_roles_cannot_read_it(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("admin:dukcapil_auditentry_changelist")).status_code == 403
