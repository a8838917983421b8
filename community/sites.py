"""The Wagtail Site each request belongs to, kept in the cache.

Wagtail finds it with one query on every request (every Site ranked against the host, the root
page joined) and keeps it on `request._wagtail_site` for that request only; `Site.find_for_request`
looks there first. Sites change a few times in a deployment's life, so `SiteMiddleware` puts the
cached answer there instead. Each host and port has its own entry, stamped with the generation of
the Sites it was read from; saving or deleting a Site, or moving a page (a site's root may move),
starts a new generation, so an entry read before the change is never used after it. The entries
live in the default cache, which must be shared by every process, as Wagtail's own cache of site
root paths already requires.
"""

from django.core.cache import cache
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Site

from community import generations

GENERATION_KEY = "community:sites:generation"
ENTRY_SECONDS = 60 * 60


def site_for_request(*, request: HttpRequest) -> Site | None:
    """The request's Site as Wagtail would find it (None when no Site answers the host), from the
    cache when an entry of the current generation is there, else from Wagtail and then cached.
    One cache round trip on a hit."""
    hostname, port = split_domain_port(request.get_host())[0], request.get_port()
    entry_key = f"community:sites:{hostname}:{port}"
    found = cache.get_many([GENERATION_KEY, entry_key])
    generation = found.get(GENERATION_KEY)
    entry = found.get(entry_key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    if generation is None:
        generation = generations.current(GENERATION_KEY)
    site = Site.find_for_request(request)
    cache.set(entry_key, (generation, site), ENTRY_SECONDS)
    return site


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
