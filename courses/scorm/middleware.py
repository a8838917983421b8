"""Keeps the two origins apart: the content origin answers only package paths (and static
files), and the site does not serve package paths, so package JavaScript never shares an
origin with the site."""

from django.conf import settings
from django.http import HttpResponseNotFound

from courses.scorm import access

PREFIX = "/scorm/"


class ContentOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content = access.is_content_request(request)
        on_package_path = request.path.startswith(PREFIX)
        if content and not (on_package_path or request.path.startswith(settings.STATIC_URL)):
            return HttpResponseNotFound()
        if on_package_path and not content:
            return HttpResponseNotFound()
        return self.get_response(request)
