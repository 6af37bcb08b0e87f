"""Messages to the resident about their card, through the outbox (dukcapil.outbox).

The phone is the one given at registration (``CardApplication.phone``, normalised by
``phone_normalise``); an application without one gets no message. Each kind goes out once
per application: the outbox's ``dedupe_key`` is unique.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from dukcapil.models import OutboxMessage
from dukcapil.outbox import messages_enqueue
from registry.lifecycle import OLD_CARD_RETURNED
from registry.models import ApplicationStatus, CardApplication

CARD_PRINTED = "card_printed"
CARD_REMINDER = "card_reminder"

_COLLECT = (
    "dapat diambil di loket penyerahan Dinas Dukcapil Kota Kupang. Bawa Kartu Keluarga asli"
    "{old_card}; kartu hanya diserahkan kepada pemohon sendiri dan tanpa biaya. "
    "No. permohonan: {number}."
)
TEXTS = {
    CARD_PRINTED: "KTP-el Anda sudah dicetak dan " + _COLLECT,
    CARD_REMINDER: "Pengingat: KTP-el Anda sudah dicetak sejak {printed} dan belum diambil. "
    "Kartu " + _COLLECT,
}


def _message(application: CardApplication, kind: str) -> OutboxMessage:
    printed = timezone.localtime(application.printed_at) if application.printed_at else None
    body = TEXTS[kind].format(
        number=application.number,
        old_card=" dan KTP-el lama" if application.kind in OLD_CARD_RETURNED else "",
        printed=f"{printed:%d-%m-%Y}" if printed else "",
    )
    return OutboxMessage(
        kind=kind,
        phone=application.phone,
        body=body,
        reference=application.number,
        dedupe_key=f"{kind}:{application.pk}",
    )


def card_printed_notify(application: CardApplication) -> None:
    """Queue "your card is printed" in the print's own transaction: no print, no message."""
    if application.phone:
        messages_enqueue([_message(application, CARD_PRINTED)])


@transaction.atomic
def reminders_enqueue() -> int:
    """Queue one reminder for each card printed DUKCAPIL_NOTIFY_UNCOLLECTED_DAYS ago or
    earlier and still not collected; safe to run any number of times. How many were due."""
    cutoff = timezone.now() - dt.timedelta(days=settings.DUKCAPIL_NOTIFY_UNCOLLECTED_DAYS)
    key = Concat(Value(f"{CARD_REMINDER}:"), Cast(OuterRef("pk"), CharField()))
    due = (
        CardApplication.objects.filter(status=ApplicationStatus.PRINTED, printed_at__lte=cutoff)
        .exclude(phone="")
        .exclude(Exists(OutboxMessage.objects.filter(dedupe_key=key)))
        .only("pk", "kind", "phone", "printed_at")
        .order_by("pk")
    )
    reminders = [_message(application, CARD_REMINDER) for application in due.iterator()]
    messages_enqueue(reminders)
    return len(reminders)
