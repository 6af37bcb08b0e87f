import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from stock.models import Blank, BlankStatus, Location, Movement, MovementKind
from stock.selectors import stock_disagreements
from stock.serials import serials_parse
from stock.services import blank_consume, blanks_transfer, receipt_create

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("reference_data")]


def _setup():
    user = get_user_model().objects.create_user(username="pengelola", password="x")
    store = Location.objects.create(kind="gudang", name="Gudang")
    printer = Location.objects.create(kind="printer", name="Mesin 1")
    receipt_create(
        received_on=timezone.localdate(),
        source="apbn",
        reference="BAST-1",
        serials="KTP0001-KTP0040",
        location=store,
        actor=user,
    )
    return user, store, printer


def _run_together(*works):
    barrier = threading.Barrier(len(works))
    outcomes, errors = [], []

    def run(work):
        try:
            barrier.wait()
            outcomes.append(work())
        except ValidationError as exc:
            outcomes.append(exc)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return outcomes


def test_two_operators_printing_on_the_same_blank_use_it_exactly_once():
    user, store, _ = _setup()

    def consume():
        return blank_consume(serial="KTP0007", location=store, actor=user, reference="APP")

    outcomes = _run_together(consume, consume)
    assert sum(isinstance(o, Blank) for o in outcomes) == 1
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 1 and "tidak tersedia" in refused[0].messages[0]
    assert Movement.objects.filter(kind=MovementKind.USE).count() == 1


def test_a_transfer_and_a_print_at_once_never_both_take_the_blank():
    user, store, printer = _setup()

    def transfer():
        return blanks_transfer(
            serials=serials_parse("KTP0001-KTP0040"),
            from_location=store,
            to_location=printer,
            actor=user,
        )

    def consume():
        return blank_consume(serial="KTP0040", location=store, actor=user, reference="APP")

    outcomes = _run_together(transfer, consume, transfer)
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 2
    assert stock_disagreements() == ([], [])
    used = Blank.objects.filter(status=BlankStatus.USED).count()
    assert Blank.objects.filter(location=printer).count() == (0 if used else 40)
