"""Rate-limit counters count per window in the configured cache, Redis included."""

import pytest
import redis
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from dukcapil.rate_limits import hits_count

REDIS_URL = "redis://127.0.0.1:6379/15"


def test_it_counts_hits_in_a_window_and_starts_again_in_the_next():
    cache.delete("uji:menit-1")
    assert [hits_count("uji:menit-1", 60) for _ in range(3)] == [1, 2, 3]
    assert hits_count("uji:menit-2", 60) == 1  # the next window has a key of its own
    cache.delete("uji:menit-1")  # the window ran out
    assert hits_count("uji:menit-1", 60) == 1


def _redis_up() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis tidak berjalan di 127.0.0.1:6379")
def test_the_counters_are_shared_through_redis_when_it_is_configured():
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    with override_settings(CACHES={"default": backend}):
        cache = caches["default"]
        assert isinstance(cache, RedisCache)
        cache.delete("uji:bersama")
        assert [hits_count("uji:bersama", 60) for _ in range(2)] == [1, 2]
        # Another process would see the same count: it lives in Redis, not in this process.
        assert redis.Redis.from_url(REDIS_URL).get(cache.make_key("uji:bersama")) == b"2"
        cache.delete("uji:bersama")
