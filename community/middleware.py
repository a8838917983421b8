from django.utils import translation


class UserLanguageMiddleware:
    """Signed-in people see the site in their preferred language, whatever the browser says;
    the language switcher updates that preference. Runs after authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/admin/"):
            language = user.preferred_language
            if language and language != getattr(request, "LANGUAGE_CODE", None):
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
