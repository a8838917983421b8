import zoneinfo

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import LocalePrefixPattern, Resolver404, get_resolver, get_script_prefix
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers


def path_is_localised(*, path: str, urlconf: str | None = None) -> bool:
    """Whether `path` (unprefixed) is one of the site's pages, which every language serves under
    its own prefix, rather than an address with one form only (admin, API, allauth, documents).
    The first pattern that resolves it decides, as it does for the request itself."""
    for pattern in get_resolver(urlconf).url_patterns:
        try:
            match = pattern.resolve(path.removeprefix("/"))
        except Resolver404:
            continue
        if match:
            return isinstance(pattern.pattern, LocalePrefixPattern)
    return False


class UserLanguageMiddleware:
    """Which language a request is answered in. A language prefix in the path decides
    (`/zh-hans/…`, set by LocaleMiddleware). Without one, the signed-in person's preference, else
    the language cookie or the browser's languages, decide: a site page is then redirected to
    the same page under that language's prefix (English pages are unprefixed), and an address
    with one form only (the admin aside, whose users keep their own setting) is answered in that
    language in place. Runs after authentication; also activates the person's time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            # Threads serve many people: never leave the previous person's zone active.
            timezone.deactivate()
        if request.path.startswith("/admin/") or translation.get_language_from_path(request.path_info):
            return self.get_response(request)

        wanted = (signed_in and user.preferred_language) or translation.get_language_from_request(request)
        try:
            wanted = translation.get_supported_language_variant(wanted)
        except LookupError:  # a preference stored for a language the site no longer offers
            wanted = settings.LANGUAGE_CODE
        urlconf = getattr(request, "urlconf", None)
        if path_is_localised(path=request.path_info, urlconf=urlconf):
            response = None
            if wanted != settings.LANGUAGE_CODE and request.method in ("GET", "HEAD"):
                query = request.META.get("QUERY_STRING", "")
                target = f"{get_script_prefix()}{wanted}{request.path_info}"
                response = HttpResponseRedirect(f"{target}?{query}" if query else target)
            response = response or self.get_response(request)
        else:
            translation.activate(wanted)
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
