import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dukcapil.privacy import mask_number
from registry.nik import nik_review_notes, parse_nik, validate_kk_number


def test_it_reads_a_mans_nik():
    nik = parse_nik("5371012701900001")
    assert (nik.sex, nik.birth_dates) == ("L", (dt.date(1990, 1, 27),))


@pytest.mark.parametrize("day", ["41", "55", "71"])
def test_it_reads_a_womans_day_plus_forty(day):
    nik = parse_nik(f"537101{day}03850007")
    assert nik.sex == "P"
    assert nik.birth_dates[0].day == int(day) - 40


def test_it_offers_both_centuries_when_the_year_allows():
    assert parse_nik("5371010101050001").birth_dates == (
        dt.date(1905, 1, 1),
        dt.date(2005, 1, 1),
    )


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("537101270190000", "nik_format"),  # 15 digits
        ("53710127019000011", "nik_format"),  # 17 digits
        ("53710127019O0001", "nik_format"),  # letter O for zero
        ("5,37101E+15", "nik_format"),  # mangled by Excel
        ("", "nik_format"),
        ("0071012701900001", "nik_province"),
        ("5371010001900001", "nik_day"),
        ("5371013201900001", "nik_day"),
        ("5371017201900001", "nik_day"),
        ("5371012713900001", "nik_month"),
        ("5371012700900001", "nik_month"),
        ("5371013102900001", "nik_date"),  # 31 February
        ("5371017102900001", "nik_date"),  # 31 February, a woman
        ("5371012902010001", "nik_date"),  # 29 February 1901/2001
        ("5371012701900000", "nik_serial"),
    ],
)
def test_it_refuses_a_broken_nik_with_the_reason(value, code):
    with pytest.raises(ValidationError) as excinfo:
        parse_nik(value)
    assert excinfo.value.code == code
    assert "NIK" in excinfo.value.messages[0]


def test_it_accepts_29_february_of_a_leap_year():
    assert parse_nik("5371012902000001").birth_dates == (dt.date(2000, 2, 29),)


def test_it_explains_what_excel_did_to_a_number():
    with pytest.raises(ValidationError, match="Excel"):
        parse_nik("5.37101E+15")


def test_it_accepts_and_flags_a_nik_that_disagrees_with_the_person():
    nik = parse_nik("5371012701900001")
    notes = nik_review_notes(nik, birth_date=dt.date(1990, 1, 28), sex="P")
    assert notes == ["tanggal lahir berbeda dengan NIK", "jenis kelamin berbeda dengan NIK"]


def test_it_has_nothing_to_say_about_a_consistent_nik():
    nik = parse_nik("5371016701900001")
    assert nik_review_notes(nik, birth_date=dt.date(1990, 1, 27), sex="P") == []


def test_it_flags_an_unknown_regency_but_keeps_the_nik():
    nik = parse_nik("5399012701900001")
    assert nik_review_notes(nik, birth_date=None, sex=None) == [
        "kode kabupaten/kota 5399 tidak dikenal"
    ]


def test_it_accepts_a_plausible_kk_number():
    assert validate_kk_number(" 5371012001150003 ") == "5371012001150003"


@pytest.mark.parametrize(
    "value",
    [
        "537101200115000",
        "5371A12001150003",
        "9971012001150003",
        "5300012001150003",
        "5371002001150003",
        "5371012001150000",
    ],
)
def test_it_refuses_an_implausible_kk_number(value):
    with pytest.raises(ValidationError, match=r"No\. KK"):
        validate_kk_number(value)


def test_it_masks_the_birth_date_part():
    assert mask_number("5371016701900001") == "537101******0001"
