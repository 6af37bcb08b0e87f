"""Messages to the resident: "your card is printed" queued in the print's own transaction, and
one reminder when the card is still not collected after DUKCAPIL_NOTIFY_UNCOLLECTED_DAYS."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from dukcapil.models import OutboxMessage
from registry.models import ApplicationStatus, CardApplication
from registry.services import printing
from registry.services.notifications import CARD_PRINTED, CARD_REMINDER, reminders_enqueue
from stock.models import Blank, BlankStatus
from tests.registry.factories import make_resident, nik_for

S = ApplicationStatus


@pytest.fixture
def applicant(apply, advance, stock_in):
    """An application of a new resident brought to ``status``, with the phone given."""
    stock_in("KTP0001-KTP0010")
    serial = iter(range(1, 100))

    def make(status=S.PRINT_READY, phone="+62 812-3456-7890", kind="baru"):
        resident = make_resident(nik=nik_for(next(serial)))
        return advance(apply(resident, kind, phone=phone), status)

    return make


def printed_days_ago(application: CardApplication, days: int) -> None:
    printed_at = timezone.now() - dt.timedelta(days=days)
    CardApplication.objects.filter(pk=application.pk).update(printed_at=printed_at)


@pytest.mark.django_db
def test_printing_queues_the_message_to_the_phone_given_at_registration(applicant, advance):
    application = advance(applicant(), S.PRINTED)

    message = OutboxMessage.objects.get()
    assert (message.kind, message.phone, message.reference) == (
        CARD_PRINTED,
        "081234567890",
        application.number,
    )
    assert message.body.startswith(
        "KTP-el Anda sudah dicetak dan dapat diambil di loket penyerahan Dinas Dukcapil "
        "Kota Kupang. Bawa Kartu Keluarga asli; "
    )
    assert application.number in message.body


@pytest.mark.django_db
def test_a_replacement_is_told_to_bring_the_old_card(apply, advance, stock_in, resident):
    stock_in()
    first = advance(apply(resident), S.ISSUED)
    replacement = advance(apply(first.resident, "rusak", phone="0813 1111 2222"), S.PRINTED)

    message = OutboxMessage.objects.get(reference=replacement.number)
    assert "Bawa Kartu Keluarga asli dan KTP-el lama;" in message.body


@pytest.mark.django_db
def test_without_a_phone_nothing_is_queued(applicant, advance):
    advance(applicant(phone=""), S.PRINTED)

    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_a_print_that_fails_after_queueing_takes_its_message_with_it(
    applicant, advance, monkeypatch
):
    application = applicant()
    queue = printing.card_printed_notify

    def queue_then_fail(printed):
        queue(printed)
        assert OutboxMessage.objects.exists()  # written, inside the print's transaction
        raise RuntimeError("printer macet")

    monkeypatch.setattr(printing, "card_printed_notify", queue_then_fail)
    with pytest.raises(RuntimeError):
        advance(application, S.PRINTED)

    application.refresh_from_db()
    assert application.status == S.PRINT_READY
    assert not OutboxMessage.objects.exists()
    assert not Blank.objects.filter(status=BlankStatus.USED).exists()


@pytest.mark.django_db
def test_one_reminder_for_each_card_not_collected_after_n_days(
    applicant, advance, settings, django_assert_max_num_queries
):
    settings.DUKCAPIL_NOTIFY_UNCOLLECTED_DAYS = 14
    late = [advance(applicant(), S.PRINTED) for _ in range(3)]
    for application in late:
        printed_days_ago(application, 15)
    recent = advance(applicant(), S.PRINTED)
    printed_days_ago(recent, 13)
    collected = advance(applicant(), S.ISSUED)
    printed_days_ago(collected, 20)
    no_phone = advance(applicant(phone=""), S.PRINTED)
    printed_days_ago(no_phone, 20)

    with django_assert_max_num_queries(4):
        assert reminders_enqueue() == 3
    assert reminders_enqueue() == 0, "once per card"

    reminders = OutboxMessage.objects.filter(kind=CARD_REMINDER)
    assert sorted(reminders.values_list("reference", flat=True)) == sorted(a.number for a in late)
    assert reminders.first().body.startswith("Pengingat: KTP-el Anda sudah dicetak sejak ")


@pytest.mark.django_db
def test_the_command_queues_the_reminders(applicant, advance, settings, capsys):
    settings.DUKCAPIL_NOTIFY_UNCOLLECTED_DAYS = 7
    printed_days_ago(advance(applicant(), S.PRINTED), 8)

    call_command("remind_uncollected")

    assert "1 pengingat diantrekan." in capsys.readouterr().out
    assert OutboxMessage.objects.filter(kind=CARD_REMINDER).count() == 1
