"""The site's URLs plus a stand-in `partners:directory` route, for testing the forum's
link to the partner directory before the directory page exists."""

from django.http import HttpResponse
from django.urls import include, path

from community.urls import urlpatterns as site_urlpatterns

directory_patterns = ([path("partners/", lambda request: HttpResponse(), name="directory")], "partners")

urlpatterns = [path("", include(directory_patterns)), *site_urlpatterns]
