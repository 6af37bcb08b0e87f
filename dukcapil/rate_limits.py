"""Counting requests per window in the installation's cache (local memory on the embedded
default, Redis when REDIS_URL is set), for the limits on public pages."""

from django.core.cache import cache


def hits_count(key: str, seconds: int) -> int:
    """Count one more hit on ``key``; the count starts again ``seconds`` after the first hit.

    Callers put the window into the key (the minute, the hour, the day), so a window is fixed
    by the clock, not by the first hit.
    """
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1
