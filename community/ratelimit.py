"""A per-client request budget kept in the cache, for public pages a script could hammer (certificate
look-ups). Fixed windows: simple, one cache round trip per request, and shared by every web process
when the cache is Redis. With the in-process cache (one machine, no services) each process counts
on its own, which is still a brake on a single script."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address the request came from. Behind `TRUSTED_PROXY_COUNT` proxies that each append to
    `X-Forwarded-For`, it is the entry that many places from the right (entries further left are
    whatever the client sent); with no proxies, `REMOTE_ADDR`."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "unknown"


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window: int = 60) -> bool:
    """Count one request of `key` against `limit` per `window` seconds in `scope`; True once the
    budget of the current window is spent. A `limit` of 0 turns the limit off."""
    if not limit:
        return False
    bucket = int(time.time() // window)
    cache_key = f"ratelimit:{scope}:{key}:{bucket}"
    # add() starts the window atomically; incr() is atomic on Redis and under the locmem lock.
    if cache.add(cache_key, 1, timeout=window + 1):
        return False  # the first request of a window; limit is at least 1 here
    try:
        return cache.incr(cache_key) > limit
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window + 1)
        return False
