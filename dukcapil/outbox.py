"""The outbox: messages to residents, written with the event they announce, sent by a worker.

A service enqueues a message inside its own transaction, so a rolled-back print leaves no
message behind and a committed one always has its message. A worker (``manage.py
send_notifications``, or any job runner calling ``message_send_next``) sends the due messages
one by one: each try is recorded as a ``DeliveryAttempt``; a failed one is tried again after
the delays of DUKCAPIL_OUTBOX_BACKOFF_SECONDS and then given up ("gagal") until a Kepala Seksi
re-queues it. Delivery is at least once: a worker that dies mid-send has its claim rolled back
and the message is sent again later, never twice at the same time.
"""

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dukcapil.gateways import ANSWER_LIMIT, Gateway, gateway_from_settings
from dukcapil.models import DUE_STATUSES, DeliveryAttempt, OutboxMessage, OutboxStatus

RESEND_PERMISSION = "dukcapil.resend_outboxmessage"


def messages_enqueue(messages: Iterable[OutboxMessage]) -> None:
    """Queue unsaved messages to go out now. Call it inside the caller's transaction.

    A message whose ``dedupe_key`` is already in the outbox is skipped, also when another
    transaction queues the same key at the same moment.
    """
    now = timezone.now()
    queued = []
    for message in messages:
        message.status = OutboxStatus.PENDING
        message.next_attempt_at = now
        queued.append(message)
    OutboxMessage.objects.bulk_create(queued, batch_size=1000, ignore_conflicts=True)


def message_send_next(*, gateway: Gateway) -> OutboxMessage | None:
    """Send the oldest due message and record the attempt; None when nothing is due.

    The message stays locked until its attempt is recorded and other workers skip it
    (SKIP LOCKED), so two workers never send one message at once. Holding the lock over the
    send (bounded by the gateway's timeout) is what makes a crash safe: a claim committed
    first would need a lease, and still resend once the lease ran out.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status__in=DUE_STATUSES, next_attempt_at__lte=timezone.now())
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if message is None:
            return None
        try:
            answer = gateway.send(phone=message.phone, body=message.body)
        # Whatever a gateway raises, the message must stay in the outbox with its attempt.
        except Exception as exc:
            _failure_record(message, gateway, f"{type(exc).__name__}: {exc}")
        else:
            _success_record(message, gateway, answer)
        return message


def outbox_send_due(
    *, gateway: Gateway | None = None, stop: Callable[[], bool] = lambda: False
) -> int:
    """Send every due message, or until ``stop()`` says so between two; how many were tried."""
    gateway = gateway or gateway_from_settings()
    tried = 0
    while not stop() and message_send_next(gateway=gateway) is not None:
        tried += 1
    return tried


def retry_delay(tries: int) -> dt.timedelta | None:
    """The wait after the ``tries``-th failed attempt, or None when it was the last."""
    delays = settings.DUKCAPIL_OUTBOX_BACKOFF_SECONDS
    if tries > len(delays):
        return None
    return dt.timedelta(seconds=delays[tries - 1])


def _success_record(message: OutboxMessage, gateway: Gateway, answer: str) -> None:
    DeliveryAttempt.objects.create(
        message=message, gateway=gateway.name, succeeded=True, detail=answer[:ANSWER_LIMIT]
    )
    message.tries += 1
    message.status = OutboxStatus.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["tries", "status", "sent_at", "last_error"])


def _failure_record(message: OutboxMessage, gateway: Gateway, error: str) -> None:
    DeliveryAttempt.objects.create(
        message=message, gateway=gateway.name, succeeded=False, detail=error[:ANSWER_LIMIT]
    )
    message.tries += 1
    delay = retry_delay(message.tries)
    if delay is None:
        message.status = OutboxStatus.FAILED
    else:
        message.status = OutboxStatus.RETRYING
        message.next_attempt_at = timezone.now() + delay
    message.last_error = error[:ANSWER_LIMIT]
    message.save(update_fields=["tries", "status", "next_attempt_at", "last_error"])


@transaction.atomic
def message_requeue(*, message: OutboxMessage, actor: AbstractBaseUser) -> OutboxMessage:
    """Send a given-up message again, with a fresh round of retries ("Kirim ulang")."""
    if not actor.has_perm(RESEND_PERMISSION):
        raise PermissionDenied("Anda tidak berwenang mengirim ulang pesan.")
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.status != OutboxStatus.FAILED:
        raise ValidationError(
            f"Pesan {message} berstatus “{message.get_status_display()}”; "
            "hanya pesan yang gagal dapat dikirim ulang."
        )
    message.status = OutboxStatus.PENDING
    message.tries = 0
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["status", "tries", "next_attempt_at"])
    return message
