"""The outbox: messages queued with their event, sent by a worker, retried with backoff, every
attempt kept; a gateway failure loses nothing."""

import datetime as dt
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from dukcapil.gateways import GatewayError, LogGateway
from dukcapil.models import DeliveryAttempt, OutboxMessage, OutboxStatus
from dukcapil.outbox import message_requeue, message_send_next, messages_enqueue, outbox_send_due
from dukcapil.privacy import mask_phone
from dukcapil.roles import PRINTING, SUPERVISOR

PHONE = "081234567890"


class FlakyGateway:
    """Fails the first ``failures`` sends, then takes every message."""

    name = "uji"

    def __init__(self, failures: int = 0, error: Exception | None = None):
        self.failures = failures
        self.error = error or GatewayError("HTTP 503: sibuk")
        self.calls: list[tuple[str, str]] = []
        self.delivered: list[str] = []

    def send(self, *, phone: str, body: str) -> str:
        self.calls.append((phone, body))
        if len(self.calls) <= self.failures:
            raise self.error
        self.delivered.append(body)
        return "HTTP 200: ok"


def enqueue(body: str = "KTP-el Anda sudah dicetak.", **fields) -> OutboxMessage:
    messages_enqueue([OutboxMessage(kind="uji", phone=PHONE, body=body, **fields)])
    return OutboxMessage.objects.get(body=body)


def time_passes() -> None:
    """Every retry falls due, as if its wait were over."""
    OutboxMessage.objects.update(next_attempt_at=timezone.now())


@pytest.fixture
def backoff(settings):
    settings.DUKCAPIL_OUTBOX_BACKOFF_SECONDS = [60, 300]
    return settings.DUKCAPIL_OUTBOX_BACKOFF_SECONDS


@pytest.mark.django_db
def test_it_sends_a_queued_message_and_records_the_attempt(django_assert_max_num_queries):
    message = enqueue()
    gateway = FlakyGateway()

    with django_assert_max_num_queries(5):
        assert message_send_next(gateway=gateway) == message
    assert message_send_next(gateway=gateway) is None

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.sent_at and message.tries == 1
    assert gateway.calls == [(PHONE, "KTP-el Anda sudah dicetak.")]
    attempt = message.attempts.get()
    assert (attempt.gateway, attempt.succeeded, attempt.detail) == ("uji", True, "HTTP 200: ok")


@pytest.mark.django_db
def test_it_retries_with_backoff_until_the_gateway_takes_the_message(backoff):
    message = enqueue()
    gateway = FlakyGateway(failures=2)

    before = timezone.now()
    assert outbox_send_due(gateway=gateway) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.RETRYING and message.tries == 1
    assert message.next_attempt_at >= before + dt.timedelta(seconds=60)
    assert outbox_send_due(gateway=gateway) == 0, "not due before its wait is over"

    time_passes()
    before = timezone.now()
    assert outbox_send_due(gateway=gateway) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.RETRYING and message.tries == 2
    assert message.next_attempt_at >= before + dt.timedelta(seconds=300)

    time_passes()
    assert outbox_send_due(gateway=gateway) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.last_error == ""
    attempts = list(message.attempts.order_by("pk").values_list("succeeded", "detail"))
    assert attempts == [(False, "GatewayError: HTTP 503: sibuk")] * 2 + [(True, "HTTP 200: ok")]
    assert gateway.delivered == ["KTP-el Anda sudah dicetak."]
    time_passes()
    assert outbox_send_due(gateway=gateway) == 0, "a sent message is never sent again"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "recorded"),
    [
        (GatewayError("Gateway tidak terjangkau: timed out"), "Gateway tidak terjangkau"),
        (RuntimeError("bug di adaptor"), "RuntimeError: bug di adaptor"),
    ],
)
def test_a_gateway_failure_loses_nothing(backoff, error, recorded):
    message = enqueue()

    outbox_send_due(gateway=FlakyGateway(failures=1, error=error))

    message.refresh_from_db()
    assert message.status == OutboxStatus.RETRYING and recorded in message.last_error
    attempt = message.attempts.get()
    assert not attempt.succeeded and recorded in attempt.detail


@pytest.mark.django_db
def test_it_gives_up_after_the_last_wait_until_a_supervisor_requeues_it(backoff, make_user):
    message = enqueue()
    gateway = FlakyGateway(failures=3)
    for _ in range(3):
        outbox_send_due(gateway=gateway)
        time_passes()
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and message.attempts.count() == 3
    assert outbox_send_due(gateway=gateway) == 0

    with pytest.raises(PermissionDenied):
        message_requeue(message=message, actor=make_user(PRINTING))
    message_requeue(message=message, actor=make_user(SUPERVISOR))
    assert outbox_send_due(gateway=gateway) == 1

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.tries == 1
    assert message.attempts.count() == 4, "the earlier attempts stay as evidence"


@pytest.mark.django_db
def test_only_a_failed_message_is_requeued(make_user):
    message = enqueue()
    with pytest.raises(ValidationError, match="hanya pesan yang gagal"):
        message_requeue(message=message, actor=make_user(SUPERVISOR))


@pytest.mark.django_db
def test_a_second_message_with_the_same_key_is_ignored():
    enqueue("pertama", dedupe_key="card_reminder:7")
    messages_enqueue(
        [OutboxMessage(kind="uji", phone=PHONE, body="kedua", dedupe_key="card_reminder:7")]
    )
    messages_enqueue([OutboxMessage(kind="uji", phone=PHONE, body="tanpa kunci")])

    assert sorted(OutboxMessage.objects.values_list("body", flat=True)) == [
        "pertama",
        "tanpa kunci",
    ]


@pytest.mark.django_db
def test_an_attempt_cannot_be_rewritten():
    enqueue()
    outbox_send_due(gateway=FlakyGateway())
    attempt = DeliveryAttempt.objects.get()
    attempt.succeeded = False
    with pytest.raises(PermissionError):
        attempt.save()
    with pytest.raises(PermissionError):
        DeliveryAttempt.objects.all().delete()


def test_the_log_gateway_never_writes_a_full_phone_number(caplog):
    with caplog.at_level(logging.INFO, logger="dukcapil.gateways"):
        LogGateway().send(phone=PHONE, body="KTP-el Anda sudah dicetak.")

    assert PHONE not in caplog.text
    assert "0812******90" in caplog.text and "KTP-el Anda sudah dicetak." in caplog.text
    assert mask_phone("0812") == "****"


@pytest.mark.django_db
def test_the_command_once_sends_what_is_due_through_the_log(caplog, settings, capsys):
    settings.DUKCAPIL_SMS_GATEWAY = "log"
    message = enqueue()

    call_command("send_notifications", "--once")

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts.get().gateway == "log"
    assert "1 pesan dicoba kirim." in capsys.readouterr().out
