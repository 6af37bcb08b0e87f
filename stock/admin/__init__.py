"""The stock admin: declarative lists, and pages whose forms each call one service."""

from stock.admin import blanks, ledger, records, reference  # noqa: F401 — registers the admins
