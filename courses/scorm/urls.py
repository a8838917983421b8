"""The content origin's paths, unprefixed by language (see courses.scorm.access)."""

from django.urls import path

from courses.scorm import views

app_name = "scorm"

urlpatterns = [
    path("<str:token>/", views.launcher, name="launcher"),
    path("<str:token>/files/<path:name>", views.package_file, name="file"),
]
