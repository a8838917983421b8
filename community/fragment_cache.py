"""Rendered page fragments that every visitor asking the same thing sees alike (a list's results
for one query string, in one language), cached under a generation (community.generations).

Whatever can change a fragment is connected to `changed` (in the app's `ready`), which renews the
generation at once and again after the commit: a request between a change and its commit would
otherwise store the old fragment under the new generation. Entries also expire after `seconds`."""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from community import generations


class FragmentCache:
    def __init__(self, name: str, *, seconds: int):
        self.name = name
        self.generation_key = f"{name}:generation"
        self.seconds = seconds

    def changed(self, **kwargs) -> None:
        """A signal receiver: orphan every fragment stored so far."""
        generations.renew(self.generation_key)
        transaction.on_commit(lambda: generations.renew(self.generation_key))

    def key(self, *, request: HttpRequest) -> str:
        facts = (generations.current(self.generation_key), translation.get_language(), sorted(request.GET.lists()))
        return f"{self.name}:{hashlib.blake2b(repr(facts).encode(), digest_size=16).hexdigest()}"

    def get_or_render(self, *, request: HttpRequest, render: Callable[[], str]) -> SafeString:
        """The fragment for this request from the cache, else `render()`, stored. Only our own
        templates render fragments, escaping user text as everywhere else."""
        key = self.key(request=request)
        html = cache.get(key)
        if html is None:
            html = render()
            cache.set(key, html, self.seconds)
        return mark_safe(html)
