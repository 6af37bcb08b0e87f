"""The public blank-stock board: what the office must announce daily, counts only."""

from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from stock.selectors import public_board

BOARD_MAX_AGE = 60  # seconds; stock changes with every print, but a minute late is fine


@require_safe
@cache_control(public=True, max_age=BOARD_MAX_AGE)
def stock_board(request):
    # No login, no personal data: only counts per location and the time of the last change.
    return render(request, "stock/board.html", {"board": public_board()})
