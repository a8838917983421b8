"""SCORM lessons over HTTP: who may load a package's files and from which host, committing
CMI data, and completion through the same progress as native lessons."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from courses import services
from courses.models import Enrolment, LessonProgress, ScormAttempt
from courses.scorm import access
from courses.scorm.package import package_inspect
from courses.scorm.services import scorm_package_create
from tests.courses.scorm_zips import GOLF_12, GOLF_2004, upload, zip_folder
from tests.factories import courses as build
from tests.factories.community import UserFactory

CONTENT = {"HTTP_HOST": "scorm.testserver"}


def _package(folder=GOLF_12):
    data = zip_folder(folder)
    return scorm_package_create(upload=upload(data), inspected=package_inspect(upload(data)), user=None)


@pytest.fixture
def lesson(db):
    course = build.course(title="Golf for partners")
    page = build.lesson(course_page=course, title="Golf explained", scorm_package=_package())
    build.lesson(course_page=course, title="Wrap-up")
    return page


@pytest.fixture
def learner(lesson):
    user = UserFactory()
    services.course_enrol(user=user, course=lesson.get_parent().specific)
    return user


def _token(lesson, user, *, enrolled=True):
    grant = access.Grant(
        user_id=user.pk,
        course_id=lesson.get_parent().pk if enrolled else None,
        package_id=lesson.scorm_package_id,
        site_origin="http://testserver",
    )
    return access.grant_token(grant=grant)


def _launcher_url(client, lesson) -> str:
    response = client.get(lesson.url)
    assert response.status_code == 200
    return response.context["scorm"]["launcher_url"]


def test_enrolled_learner_gets_the_launcher_and_the_package_files(client, lesson, learner):
    client.force_login(learner)
    url = _launcher_url(client, lesson)
    assert url.startswith("http://scorm.testserver/scorm/")
    path = url.removeprefix("http://scorm.testserver")
    content = Client()  # the content origin has no session
    page = content.get(path, **CONTENT)
    assert page.status_code == 200
    assert page["Content-Security-Policy"] == "frame-ancestors http://testserver"
    assert page["Referrer-Policy"] == "no-referrer"
    assert b"scorm12.min.js" in page.content
    file = content.get(path + "files/shared/launchpage.html", **CONTENT)
    assert file.status_code == 200
    assert file["Content-Type"].startswith("text/html")
    assert file["Content-Security-Policy"] == "frame-ancestors 'self' http://testserver"
    assert b"ScormProcessInitialize" in b"".join(file.streaming_content)


def test_package_files_are_not_served_on_the_site_host(client, lesson, learner):
    token = _token(lesson, learner)
    assert client.get(f"/scorm/{token}/files/shared/launchpage.html").status_code == 404


def test_content_host_serves_nothing_but_packages(client, lesson):
    assert client.get("/courses/", **CONTENT).status_code == 404
    assert client.get("/admin/", **CONTENT).status_code == 404


def test_forged_token_gets_nothing(client, lesson, learner):
    token = _token(lesson, learner)
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    assert client.get(f"/scorm/{forged}/files/shared/launchpage.html", **CONTENT).status_code == 404
    assert client.get("/scorm/anything/", **CONTENT).status_code == 404


def test_learner_who_left_the_course_loses_the_files(client, lesson, learner):
    token = _token(lesson, learner)
    Enrolment.objects.filter(user=learner).delete()
    assert client.get(f"/scorm/{token}/files/shared/launchpage.html", **CONTENT).status_code == 404


def test_another_package_is_not_reachable_with_this_token(client, lesson, learner):
    other = _package(GOLF_2004)
    token = _token(lesson, learner)
    # The path names files inside the token's own package only; a traversal stays inside it.
    response = client.get(f"/scorm/{token}/files/../../{other.key}/shared/launchpage.html", **CONTENT)
    assert response.status_code == 404


def test_a_file_request_costs_the_grant_check_alone(client, lesson, learner, django_assert_num_queries):
    token = _token(lesson, learner)
    # The site's own host lookup (community.sites) and one query for package and enrolment.
    with django_assert_num_queries(2):
        assert client.get(f"/scorm/{token}/files/shared/style.css", **CONTENT).status_code == 200


def test_anonymous_visitor_is_sent_to_sign_in(client, lesson):
    assert client.get(lesson.url).status_code == 302


def test_someone_not_enrolled_is_sent_to_the_course(client, lesson):
    client.force_login(UserFactory())
    assert client.get(lesson.url).status_code == 302


def test_editor_previews_without_saving(client, lesson):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert response.context["scorm"]["config"]["commitUrl"] == ""


def _commit(client, lesson, cmi):
    url = reverse("courses:scorm_commit", kwargs={"lesson_id": lesson.pk})
    return client.post(url, json.dumps({"cmi": cmi}), content_type="application/json")


def test_commit_stores_the_data_and_resumes_from_it(client, lesson, learner):
    client.force_login(learner)
    response = _commit(
        client, lesson, {"core": {"lesson_status": "incomplete", "lesson_location": "4", "exit": "suspend"}}
    )
    assert response.status_code == 200
    assert response.json()["lesson_done"] is False
    assert not LessonProgress.objects.exists()
    config = client.get(lesson.url).context["scorm"]["config"]
    assert config["cmi"]["core"]["lesson_location"] == "4"
    assert config["cmi"]["core"]["entry"] == "resume"


def test_completed_package_completes_the_lesson_like_a_native_one(client, lesson, learner):
    client.force_login(learner)
    response = _commit(client, lesson, {"core": {"lesson_status": "passed", "score": {"raw": "87"}}})
    assert response.json()["lesson_done"] is True
    assert LessonProgress.objects.filter(user=learner, lesson=lesson).exists()
    attempt = ScormAttempt.objects.get(user=learner, lesson=lesson)
    assert (attempt.success_status, attempt.score) == ("passed", 87)
    # A later "incomplete" never takes completion back.
    _commit(client, lesson, {"core": {"lesson_status": "incomplete"}})
    assert LessonProgress.objects.filter(user=learner, lesson=lesson).exists()


def test_failed_2004_package_does_not_complete_the_lesson(client, learner, lesson):
    lesson.scorm_package = _package(GOLF_2004)
    lesson.save_revision().publish()
    client.force_login(learner)
    response = _commit(client, lesson, {"completion_status": "completed", "success_status": "failed"})
    assert response.json()["lesson_done"] is False
    response = _commit(client, lesson, {"completion_status": "completed", "success_status": "passed"})
    assert response.json()["lesson_done"] is True


def test_last_lesson_done_completes_the_course(client, lesson, learner):
    client.force_login(learner)
    services.lesson_complete(user=learner, lesson=lesson.get_next_siblings().first().specific)
    assert _commit(client, lesson, {"core": {"lesson_status": "completed"}}).json()["course_done"] is True


@pytest.mark.parametrize(
    "body, status",
    [("not json", 400), (json.dumps({"cmi": []}), 400), (json.dumps({"cmi": {"core": {"lesson_status": "won"}}}), 400)],
)
def test_bad_commit_is_refused_and_changes_nothing(client, lesson, learner, body, status):
    client.force_login(learner)
    url = reverse("courses:scorm_commit", kwargs={"lesson_id": lesson.pk})
    assert client.post(url, body, content_type="application/json").status_code == status
    assert not ScormAttempt.objects.exists()


def test_oversized_commit_is_refused(client, lesson, learner, settings):
    settings.SCORM_MAX_CMI_BYTES = 100
    client.force_login(learner)
    assert _commit(client, lesson, {"suspend_data": "x" * 200}).status_code == 413


def test_commit_needs_the_csrf_token(lesson, learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert _commit(client, lesson, {"core": {"lesson_status": "completed"}}).status_code == 403


def test_commit_by_someone_not_enrolled_is_refused(client, lesson):
    client.force_login(UserFactory())
    assert _commit(client, lesson, {"core": {"lesson_status": "completed"}}).status_code == 400
    assert not ScormAttempt.objects.exists()


def test_anonymous_commit_is_sent_to_sign_in(client, lesson):
    assert _commit(client, lesson, {"core": {}}).status_code == 302
