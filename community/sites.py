"""The Wagtail Site each request belongs to, and its SiteSettings, kept in the cache.

Wagtail finds it with one query on every request (every Site ranked against the host, the root
page joined) and keeps it on `request._wagtail_site` for that request only; `Site.find_for_request`
looks there first. Sites change a few times in a deployment's life, so `SiteMiddleware` puts the
cached answer there instead. Each host and port has its own entry, stamped with the generation of
the Sites it was read from; saving or deleting a Site, or moving a page (a site's root may move),
starts a new generation, so an entry read before the change is never used after it. The entries
live in the default cache, which must be shared by every process, as Wagtail's own cache of site
root paths already requires.

Every page's header and footer read the site's SiteSettings, which Wagtail also reads with a query
per request; they are kept the same way, under the same generation, which saving them renews.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Site

from community import generations

GENERATION_KEY = "community:sites:generation"
ENTRY_SECONDS = 60 * 60
T = TypeVar("T")


def site_for_request(*, request: HttpRequest) -> Site | None:
    """The request's Site as Wagtail would find it (None when no Site answers the host)."""
    hostname, port = split_domain_port(request.get_host())[0], request.get_port()
    return _cached(f"community:sites:{hostname}:{port}", lambda: Site.find_for_request(request))


def settings_for_site(*, site: Site, read: Callable[[], T]) -> T:
    """The site's settings, `read()` when the cache has no entry of the current generation."""
    return _cached(f"community:site-settings:{site.pk}", read)


def _cached(entry_key: str, read: Callable[[], T]) -> T:
    """The entry when it is of the current generation (one cache round trip), else `read()`,
    stored stamped with the generation."""
    found = cache.get_many([GENERATION_KEY, entry_key])
    generation = found.get(GENERATION_KEY)
    entry = found.get(entry_key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    if generation is None:
        generation = generations.current(GENERATION_KEY)
    value = read()
    cache.set(entry_key, (generation, value), ENTRY_SECONDS)
    return value


def sites_changed() -> None:
    """Start a new generation: every cached entry is read again from the database."""
    generations.renew(GENERATION_KEY)


class SiteMiddleware:
    """Hands Wagtail the request's Site from the cache (`site_for_request`), except on the JSON
    API, which never asks for it. After CommonMiddleware, which has already refused hosts outside
    ALLOWED_HOSTS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request._wagtail_site = site_for_request(request=request)
        return self.get_response(request)
