"""The site's URLs. Each app owns its own `urls.py`; Wagtail serves every page path last.

The site's pages answer in English without a prefix and in every other language under its
prefix (`/zh-hans/courses/`). The admin, documents, the JSON API and allauth (whose sign-in
callbacks are registered at identity providers) keep one unprefixed address."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from partners.api import api

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    # Served on the SCORM content origin only (courses.scorm.middleware).
    path("scorm/", include("courses.scorm.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("", include("community.urls_site")),
    path("", include("courses.urls")),
    path("", include("certifications.urls")),
    path("", include("partners.urls")),
    path("", include("forums.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "community.errors.not_found"
handler500 = "community.errors.server_error"
