import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from stock.demo import stock_history_start
from stock.models import Blank, BlankStatus, BudgetLine, Destruction, Location, Movement, Receipt

pytestmark = pytest.mark.django_db


def test_the_demo_ledger_tells_the_campaign_on_its_dates_and_reconciles(make_user):
    keeper, cetak = make_user("Pengelola Blanko"), make_user("Operator Cetak")
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(7)))
    start -= dt.timedelta(days=30)
    history = stock_history_start(
        start=start, city_delivery=start + dt.timedelta(days=12), keeper=keeper
    )
    station = history.printers[0]
    for day in range(1, 20):
        at = start + dt.timedelta(days=day, hours=2)
        history.take(
            at=at,
            station=station,
            actor_id=cetak.pk,
            reference="PKTP-1",
            spoil_reason="gagal_cetak" if day % 5 == 0 else "",
        )
        for minute in range(1, 20):
            history.take(
                at=at + dt.timedelta(minutes=minute),
                station=station,
                actor_id=cetak.pk,
                reference=f"PKTP-{day}",
            )
    history.destroy(at=start + dt.timedelta(days=21), approver=make_user("Kepala Seksi"))
    history.write_blanks()
    history.write_ledger(str)

    assert Location.objects.filter(kind="printer").count() == 3
    line = BudgetLine.objects.get()
    assert (line.amount, line.planned_quantity, line.unit_price) == (200_000_000, 15_000, 13_333)
    assert list(Receipt.objects.order_by("received_on").values_list("received_on", "quantity")) == [
        (timezone.localtime(start).date(), 4000),
        (timezone.localtime(start + dt.timedelta(days=12)).date(), 3000),
    ]
    assert Blank.objects.filter(status=BlankStatus.USED).count() == 19 * 20 - 3
    destruction = Destruction.objects.get()
    assert destruction.blanks.count() == 3 and destruction.approved_by is not None
    # Every ledger entry carries the moment it happened, none of them today.
    assert not Movement.objects.filter(at__date=timezone.localdate()).exists()
    assert Movement.objects.filter(kind="transfer").count() > 900  # first stock and refills
    out = StringIO()
    call_command("stock_verify", stdout=out)
    assert "cocok" in out.getvalue()
