"""Cache generations: one token per kind of data, replaced by any change to that data, so that
every cache entry keyed by (or stamped with) the old token is never read again. Nothing is
deleted; orphaned entries expire on their own. A lost token (evicted, or a flushed cache) only
means misses, never a stale read. The default cache must be shared by every process."""

import uuid

from django.core.cache import cache


def current(key: str) -> str:
    """The token at `key`, made when there is none. Another process may make one at the same
    time: theirs is kept, so both share entries."""
    token = cache.get(key)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(key, token, None):
            token = cache.get(key, token)
    return token


def renew(key: str) -> None:
    """Start a new generation: entries made under the old token are orphaned."""
    cache.set(key, uuid.uuid4().hex, None)
