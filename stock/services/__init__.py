"""Every write to the blank stock goes through these services (admin, registry, demo, bench)."""

from stock.services.blanks import (
    blank_consume,
    blank_spoil,
    blanks_spoil,
    blanks_transfer,
    stock_adjust,
)
from stock.services.closings import dailyclosing_approve, dailyclosing_create
from stock.services.destructions import destruction_approve, destruction_create
from stock.services.receipts import receipt_create, receipt_void

__all__ = [
    "blank_consume",
    "blank_spoil",
    "blanks_spoil",
    "blanks_transfer",
    "dailyclosing_approve",
    "dailyclosing_create",
    "destruction_approve",
    "destruction_create",
    "receipt_create",
    "receipt_void",
    "stock_adjust",
]
