import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from stock.models import AppendOnlyError, Blank, Movement

pytestmark = pytest.mark.django_db


def test_a_ledger_entry_cannot_be_saved_again(receive):
    receive()
    entry = Movement.objects.first()
    entry.note = "diubah"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_a_ledger_entry_cannot_be_deleted(receive):
    receive()
    with pytest.raises(AppendOnlyError):
        Movement.objects.first().delete()


def test_the_ledger_refuses_queryset_update_and_delete(receive):
    receive()
    with pytest.raises(AppendOnlyError):
        Movement.objects.filter(kind="receive").update(note="x")
    with pytest.raises(AppendOnlyError):
        Movement.objects.all().delete()
    assert Movement.objects.count() == 10


@pytest.mark.postgres
def test_postgresql_itself_refuses_update_and_delete_of_the_ledger(receive):
    receive()
    for sql in ("UPDATE stock_movement SET note = 'x'", "DELETE FROM stock_movement"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert Movement.objects.count() == 10


def test_stock_verify_passes_when_ledger_and_blanks_agree(receive, capsys):
    receive()
    call_command("stock_verify")
    assert "cocok" in capsys.readouterr().out


def test_stock_verify_detects_a_tampered_status(receive):
    receive()
    Blank.objects.filter(serial="KTP0004").update(status="lost")
    with pytest.raises(SystemExit) as exit_info:
        call_command("stock_verify")
    assert exit_info.value.code == 1


def test_stock_verify_names_blanks_whose_statuses_were_swapped(receive, store, keeper, capsys):
    from stock.services import blank_consume

    receive()
    blank_consume(serial="KTP0001", location=store, actor=keeper, reference="APP-1")
    # Totals still agree after swapping two statuses; the per-blank check must notice.
    Blank.objects.filter(serial="KTP0001").update(status="in_stock")
    Blank.objects.filter(serial="KTP0002").update(status="used")
    with pytest.raises(SystemExit):
        call_command("stock_verify")
    out = capsys.readouterr().out
    assert "KTP0001" in out and "KTP0002" in out


def test_stock_verify_detects_a_blank_that_bypassed_the_ledger(receive, capsys):
    receipt = receive()
    Blank.objects.create(serial="KTP0999", receipt=receipt, location=receipt.location)
    with pytest.raises(SystemExit):
        call_command("stock_verify")
    assert "KTP0999" in capsys.readouterr().out
