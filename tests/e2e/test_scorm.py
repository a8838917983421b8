"""SCORM lessons in real Chromium with Rustici's golf samples (tests/data/scorm/): launch,
progress, reload and resume from the stored bookmark, complete; and the package, on its own
origin, cannot reach the learner's session."""

import pytest
from playwright.sync_api import Page, expect

from courses import services
from courses.models import LessonProgress, ScormAttempt
from courses.scorm.package import package_inspect
from courses.scorm.services import scorm_package_create
from tests.courses.scorm_zips import GOLF_12, GOLF_2004, upload, zip_folder
from tests.e2e.signing_in import sign_in
from tests.factories import courses as build
from tests.factories.community import UserFactory

pytestmark = pytest.mark.e2e

PAGES = 15  # the golf samples' page count; reaching the last one completes them


def _location(attempt: ScormAttempt, version: str) -> str:
    return attempt.cmi.get("core", {}).get("lesson_location") if version == "1.2" else attempt.cmi.get("location")


def _wait_for(predicate, page: Page, timeout_ms: int = 15000):
    for _ in range(timeout_ms // 250):
        if predicate():
            return
        page.wait_for_timeout(250)
    raise AssertionError("the committed CMI data never arrived")


def _package_frame(page: Page, name: str):
    for _ in range(60):
        frame = next((f for f in page.frames if f.url.split("?")[0].endswith(name)), None)
        if frame is not None:
            return frame
        page.wait_for_timeout(250)
    raise AssertionError(f"no frame loaded {name}: {[f.url for f in page.frames]}")


@pytest.mark.parametrize("folder, version", [(GOLF_12, "1.2"), (GOLF_2004, "2004")])
@pytest.mark.django_db(transaction=True)
def test_learner_runs_resumes_and_completes_a_scorm_package(
    page: Page, live_server, home_page, settings, folder, version
):
    settings.SCORM_CONTENT_ORIGIN = live_server.url.replace("localhost", "127.0.0.1")
    services.catalogue_ensure()
    data = zip_folder(folder)
    package = scorm_package_create(upload=upload(data), inspected=package_inspect(upload(data)), user=None)
    course = build.course(title="Golf for partners")
    lesson = build.lesson(course_page=course, title="Golf explained", scorm_package=package, body=[])
    learner = UserFactory(full_name="Aiko Tanaka")
    services.course_enrol(user=learner, course=course)
    page.on("dialog", lambda dialog: dialog.accept())  # the sample asks before resuming

    sign_in(page, live_server.url, learner.email)
    page.goto(live_server.url + lesson.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Golf explained")
    launch = _package_frame(page, "shared/launchpage.html")
    expect(launch.locator("#butNext")).to_be_enabled()
    for _ in range(3):
        launch.locator("#butNext").click()
    _wait_for(lambda: (a := ScormAttempt.objects.filter(lesson=lesson).first()) and _location(a, version) == "3", page)
    assert not LessonProgress.objects.filter(lesson=lesson).exists()

    # The package's own origin holds no session and cannot call the site with it.
    assert "sessionid" not in launch.evaluate("document.cookie")
    reached = launch.evaluate(
        """async (url) => { try { const r = await fetch(url, {credentials: "include"});
             return "read " + r.status; } catch (e) { return "blocked"; } }""",
        live_server.url + "/courses/my-learning/",
    )
    assert reached == "blocked"
    assert (
        launch.evaluate("() => { try { return String(window.top.document.cookie); } catch (e) { return 'denied'; } }")
        == "denied"
    )

    page.reload()  # a reload (or another device) resumes at the stored bookmark
    launch = _package_frame(page, "shared/launchpage.html")
    _package_frame(page, "Playing/OtherScoring.html")
    for _ in range(PAGES - 1 - 3):
        launch.locator("#butNext").click()
    expect(launch.locator("#butNext")).to_be_disabled()
    expect(page.get_by_role("link", name="Back to the course")).to_be_visible(timeout=15000)
    assert LessonProgress.objects.filter(user=learner, lesson=lesson).exists()
    assert course.enrolments.get(user=learner).is_completed

    page.goto(live_server.url + "/courses/my-learning/")
    completed = page.locator("section", has=page.get_by_role("heading", name="Completed"))
    expect(completed.get_by_role("link", name="Golf for partners")).to_be_visible()
