"""The outbox in the admin: the Kepala Seksi reads it, the phone number masked on the list,
and re-queues a failed message; nobody else opens it."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dukcapil.models import OutboxMessage, OutboxStatus
from dukcapil.outbox import messages_enqueue, outbox_send_due
from dukcapil.roles import HANDOVER, PRINTING, SUPERVISOR
from tests.dukcapil.test_outbox import PHONE, FlakyGateway

CHANGELIST = reverse("admin:dukcapil_outboxmessage_changelist")


@pytest.fixture
def failed(settings):
    settings.DUKCAPIL_OUTBOX_BACKOFF_SECONDS = []
    messages_enqueue([OutboxMessage(kind="uji", phone=PHONE, body="KTP-el Anda sudah dicetak.")])
    outbox_send_due(gateway=FlakyGateway(failures=1))
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.FAILED
    return message


@pytest.mark.django_db
def test_the_supervisor_reads_the_list_with_the_phone_masked(client, make_user, failed):
    client.force_login(make_user(SUPERVISOR))

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert "0812******90" in response.text and PHONE not in response.text


@pytest.mark.django_db
def test_the_message_page_shows_the_body_and_every_attempt(client, make_user, failed):
    client.force_login(make_user(SUPERVISOR))

    response = client.get(reverse("admin:dukcapil_outboxmessage_change", args=[failed.pk]))

    assert response.status_code == 200
    assert "KTP-el Anda sudah dicetak." in response.text
    assert "GatewayError: HTTP 503: sibuk" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("role", [PRINTING, HANDOVER])
def test_other_roles_do_not_open_the_outbox(client, make_user, failed, role):
    client.force_login(make_user(role))

    assert client.get(CHANGELIST).status_code == 403


@pytest.mark.django_db
def test_the_supervisor_requeues_a_failed_message(client, make_user, failed):
    client.force_login(make_user(SUPERVISOR))
    data = {"action": "requeue_selected", "_selected_action": [failed.pk]}

    response = client.post(CHANGELIST, data, follow=True)

    assert "1 pesan dikirim ulang." in response.text
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.PENDING and failed.tries == 0


@pytest.mark.django_db
def test_a_reader_without_full_view_sees_the_phone_masked_on_the_page(client, make_user, failed):
    reader = make_user()
    reader.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    client.force_login(reader)

    response = client.get(reverse("admin:dukcapil_outboxmessage_change", args=[failed.pk]))

    assert response.status_code == 200
    assert "0812******90" in response.text and PHONE not in response.text
