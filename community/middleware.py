import zoneinfo

from django.utils import timezone, translation


class UserLanguageMiddleware:
    """Signed-in people see the site in their preferred language, whatever the browser says,
    and times in their own time zone; the language switcher and the profile update both.
    Runs after authentication. The Wagtail admin keeps its own per-user settings."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/admin/"):
            language = user.preferred_language
            if language and language != getattr(request, "LANGUAGE_CODE", None):
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            # Threads serve many people: never leave the previous person's zone active.
            timezone.deactivate()
        return self.get_response(request)
