"""Rendered page fragments that every visitor asking the same thing sees alike (a list's results
for one query string, in one language), cached under a generation (community.generations).

Whatever can change a fragment is connected to `changed` (in the app's `ready`), which renews the
generation at once and again after the commit: a request between a change and its commit would
otherwise store the old fragment under the new generation. Entries also expire after `seconds`.

A fragment that only some people may see (one vendor's lists, for its staff) names its scopes: each
has a generation of its own, renewed by `scope_changed`, so a change to one vendor's data leaves
the other vendors' fragments alone."""

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from community import generations


class FragmentCache:
    def __init__(self, name: str, *, seconds: int):
        self.name = name
        self.generation_key = f"{name}:generation"
        self.seconds = seconds

    def changed(self, **kwargs) -> None:
        """A signal receiver: orphan every fragment stored so far."""
        self._renew(self.generation_key)

    def scope_changed(self, scope: int) -> None:
        """Orphan the fragments of one scope (say, a vendor's id)."""
        self._renew(self._scope_key(scope))

    def key(self, *, request: HttpRequest, scopes: Iterable[int] = ()) -> str:
        facts = (
            generations.current(self.generation_key),
            [(scope, generations.current(self._scope_key(scope))) for scope in sorted(scopes)],
            translation.get_language(),
            timezone.get_current_timezone_name(),
            sorted(request.GET.lists()),
        )
        return f"{self.name}:{hashlib.blake2b(repr(facts).encode(), digest_size=16).hexdigest()}"

    def get_or_render(
        self, *, request: HttpRequest, render: Callable[[], str], scopes: Iterable[int] = ()
    ) -> SafeString:
        """The fragment for this request (and these scopes) from the cache, else `render()`, stored.
        Only our own templates render fragments, escaping user text as everywhere else."""
        key = self.key(request=request, scopes=scopes)
        html = cache.get(key)
        if html is None:
            html = render()
            cache.set(key, html, self.seconds)
        return mark_safe(html)

    def _scope_key(self, scope: int) -> str:
        return f"{self.name}:{scope}:generation"

    @staticmethod
    def _renew(key: str) -> None:
        generations.renew(key)
        transaction.on_commit(lambda: generations.renew(key))
