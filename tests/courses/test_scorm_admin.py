"""Uploading a SCORM package through the lesson editor in the Wagtail admin."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.models import LessonPage, ScormPackage
from tests.courses.scorm_zips import GOLF_2004, upload, zip_folder
from tests.factories import courses as build
from tests.factories.community import UserFactory


@pytest.fixture
def lesson(db):
    return build.lesson(course_page=build.course(), title="Golf explained")


def _post(client, lesson, data: bytes):
    form = nested_form_data(
        {"title": lesson.title, "slug": lesson.slug, "duration_minutes": 20, "body": streamfield([])}
    )
    form["scorm_upload"] = upload(data, "golf.zip")
    form["action-publish"] = "publish"
    return client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), form)


def test_author_uploads_a_scorm_2004_package(client, lesson):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = _post(client, lesson, zip_folder(GOLF_2004))
    assert response.status_code == 302
    package = LessonPage.objects.get(pk=lesson.pk).scorm_package
    assert (package.version, package.launch) == ("2004", "shared/launchpage.html")


def test_broken_package_is_refused_in_the_editor_and_nothing_is_stored(client, lesson):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = _post(client, lesson, zip_folder(GOLF_2004, skip=("imsmanifest.xml",)))
    assert response.status_code == 200
    assert "has no imsmanifest.xml" in response.content.decode()
    assert not ScormPackage.objects.exists()
    assert LessonPage.objects.get(pk=lesson.pk).scorm_package is None
