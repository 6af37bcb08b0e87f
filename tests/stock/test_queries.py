import pytest

from stock.selectors import public_board, stock_forecast
from stock.serials import serials_parse
from stock.services import blank_consume, blanks_transfer

pytestmark = pytest.mark.django_db


def test_consuming_a_blank_takes_a_fixed_handful_of_queries(
    receive, store, keeper, django_assert_max_num_queries
):
    receive()
    with django_assert_max_num_queries(6):
        blank_consume(serial="KTP0001", location=store, actor=keeper, reference="APP-1")


def test_transferring_a_range_does_not_query_per_blank(
    receive, store, printer, keeper, on_postgres, django_assert_max_num_queries
):
    receive("KTP0001-KTP0500")
    # SQLite writes the ledger rows in bulk_create batches of ~90 (its parameter limit).
    with django_assert_max_num_queries(8 if on_postgres else 14):
        blanks_transfer(
            serials=serials_parse("KTP0001-KTP0500"),
            from_location=store,
            to_location=printer,
            actor=keeper,
        )


def test_the_board_and_forecast_are_set_based(receive, django_assert_max_num_queries):
    receive("KTP0001-KTP0300")
    with django_assert_max_num_queries(4):
        public_board()
    with django_assert_max_num_queries(4):
        stock_forecast(cards_to_print=100)
