"""Two workers at once on PostgreSQL never send one message twice (SKIP LOCKED)."""

import threading

import pytest

from dukcapil.models import DeliveryAttempt, OutboxMessage, OutboxStatus
from dukcapil.outbox import messages_enqueue, outbox_send_due
from tests.threads import run_together


class MeetingGateway:
    """Each worker's first send waits for the other worker's first send: both must hold a
    message at the same moment, which only works if the second skips the first's."""

    name = "uji"

    def __init__(self):
        self.meeting = threading.Barrier(2, timeout=10)
        self.met: set[int] = set()
        self.lock = threading.Lock()
        self.delivered: list[str] = []

    def send(self, *, phone: str, body: str) -> str:
        me = threading.get_ident()
        if me not in self.met:
            self.met.add(me)
            self.meeting.wait()
        with self.lock:
            self.delivered.append(body)
        return "ok"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_message_twice():
    bodies = [f"pesan {n}" for n in range(20)]
    messages_enqueue(OutboxMessage(kind="uji", phone="081234567890", body=b) for b in bodies)
    gateway = MeetingGateway()

    outcomes, errors = run_together(
        lambda: outbox_send_due(gateway=gateway), lambda: outbox_send_due(gateway=gateway)
    )

    assert (outcomes, errors) == (["ok", "ok"], [])
    assert len(gateway.met) == 2, "both workers sent"
    assert sorted(gateway.delivered) == sorted(bodies)
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 20
    assert DeliveryAttempt.objects.filter(succeeded=True).count() == 20
    assert not DeliveryAttempt.objects.filter(succeeded=False).exists()
