"""Counts the stock pages show that only the registry knows: cards still to print for the
campaign, and old cards taken back at handover that no destruction record holds yet.

The stock app never imports the registry (DESIGN.md §4), not even by a dotted path in the
settings. The registry hands its functions over from its AppConfig.ready() instead, the
allowed direction of the edge.
"""

from collections.abc import Callable

_cards_to_print: Callable[[], int | None] | None = None
_old_cards_awaiting_destruction: Callable[[], int] | None = None


def provide(
    *, cards_to_print: Callable[[], int | None], old_cards_awaiting_destruction: Callable[[], int]
) -> None:
    global _cards_to_print, _old_cards_awaiting_destruction
    _cards_to_print = cards_to_print
    _old_cards_awaiting_destruction = old_cards_awaiting_destruction


def cards_to_print() -> int | None:
    """Cards the campaign still needs printed; None while no campaign says so."""
    return _cards_to_print() if _cards_to_print is not None else None


def old_cards_awaiting_destruction() -> int:
    return _old_cards_awaiting_destruction() if _old_cards_awaiting_destruction is not None else 0
