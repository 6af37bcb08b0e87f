"""Suket: a stand-in for the card while no blank is available (DESIGN §6.4)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.models import ApplicationStatus, Suket
from registry.services.suket import suket_issue
from stock.models import Blank, BlankStatus
from tests.constraints import refused_by
from tests.registry.factories import make_resident

S = ApplicationStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(apply, advance, resident):
    """Recorded, ready to print, and the office has no blank at all."""
    return advance(apply(resident), S.PRINT_READY)


def _issue(application, staff):
    return suket_issue(application=application, actor=staff["registration"])


def _at(monkeypatch, *moment):
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(dt.datetime(*moment)))


def test_a_recorded_resident_gets_a_numbered_suket_valid_six_months(waiting, staff, monkeypatch):
    _at(monkeypatch, 2020, 1, 28, 9, 0)
    suket = _issue(waiting, staff)

    assert suket.number == f"474.11/{suket.pk:06d}/DKCS/2020"
    assert suket.valid_until == dt.date(2020, 7, 28)
    assert (suket.issued_by, suket.returned_at) == (staff["registration"], None)
    assert Suket.objects.get().application == waiting


@pytest.mark.parametrize(
    ("moment", "valid_until"),
    [
        ((2020, 8, 31, 10, 0), dt.date(2021, 2, 28)),  # no 31 February
        ((2019, 8, 31, 10, 0), dt.date(2020, 2, 29)),  # a leap year
        ((2020, 12, 15, 10, 0), dt.date(2021, 6, 15)),  # across the new year
        ((2020, 3, 31, 23, 30), dt.date(2020, 9, 30)),
    ],
)
def test_six_months_end_on_a_real_day(waiting, staff, monkeypatch, moment, valid_until):
    _at(monkeypatch, *moment)
    assert _issue(waiting, staff).valid_until == valid_until


def test_the_date_is_kupang_time(waiting, staff, monkeypatch):
    # 31 July 20:00 UTC is already 1 August 04:00 in Kupang.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2020, 7, 31, 20, 0, tzinfo=dt.UTC))
    assert _issue(waiting, staff).valid_until == dt.date(2021, 2, 1)


def test_numbers_follow_each_other(apply, advance, staff, waiting):
    other = advance(apply(make_resident(nik="5371012701900002")), S.PRINT_READY)
    first, second = _issue(waiting, staff), _issue(other, staff)
    assert first.number != second.number
    assert int(second.number.split("/")[1]) == int(first.number.split("/")[1]) + 1


def test_no_suket_while_any_blank_is_in_stock(waiting, staff, stock_in, store):
    stock_in("KTP0001-KTP0003", at=store)
    with pytest.raises(ValidationError) as refused:
        _issue(waiting, staff)
    assert refused.value.messages == [
        "Blanko masih tersedia (3 keping): cetak KTP-el, bukan suket."
    ]
    assert not Suket.objects.exists()


def test_used_or_spoiled_blanks_do_not_count_as_stock(waiting, staff, stock_in):
    stock_in("KTP0001-KTP0002")
    Blank.objects.filter(serial="KTP0001").update(status=BlankStatus.USED)
    Blank.objects.filter(serial="KTP0002").update(
        status=BlankStatus.SPOILED, spoil_reason="gagal_cetak"
    )
    assert _issue(waiting, staff).number.startswith("474.11/")


def test_the_office_may_switch_the_stock_rule_off(waiting, staff, stock_in, settings):
    settings.DUKCAPIL_SUKET_REFUSED_WHILE_STOCK = False
    stock_in()
    assert _issue(waiting, staff).application == waiting


@pytest.mark.parametrize("status", [S.SUBMITTED, S.VERIFIED])
def test_no_suket_for_someone_not_yet_recorded(apply, advance, resident, staff, status):
    application = advance(apply(resident), status)
    with pytest.raises(ValidationError) as refused:
        _issue(application, staff)
    assert refused.value.messages == [
        "Suket hanya untuk penduduk yang sudah direkam dan kartunya belum tercetak."
    ]


def test_someone_recorded_before_gets_one_as_soon_as_the_berkas_is_complete(apply, advance, staff):
    application = advance(apply(make_resident(siak_record_status=8), "hilang"), S.VERIFIED)
    assert _issue(application, staff).application == application


def test_no_suket_once_the_card_is_printed(apply, advance, resident, staff, stock_in, settings):
    settings.DUKCAPIL_SUKET_REFUSED_WHILE_STOCK = False
    stock_in()
    application = advance(apply(resident), S.PRINTED)
    with pytest.raises(ValidationError, match="kartunya belum tercetak"):
        _issue(application, staff)


def test_only_one_suket_is_outstanding_per_application(waiting, staff):
    first = _issue(waiting, staff)
    with pytest.raises(ValidationError) as refused:
        _issue(waiting, staff)
    assert refused.value.messages == [
        f"Permohonan {waiting.number} sudah memiliki suket yang berlaku."
    ]
    assert list(Suket.objects.all()) == [first]


def test_the_database_also_keeps_one_outstanding_suket(waiting, staff):
    first = _issue(waiting, staff)
    with refused_by("suket_one_outstanding_per_application"):
        Suket.objects.create(
            application=waiting,
            number="474.11/999999/DKCS/2020",
            issued_at=first.issued_at,
            issued_by=staff["registration"],
            valid_until=first.valid_until,
        )


def test_a_new_suket_may_follow_a_returned_one(waiting, staff):
    first = _issue(waiting, staff)
    first.returned_at = timezone.now()
    first.save()
    assert _issue(waiting, staff).pk != first.pk
