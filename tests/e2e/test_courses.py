"""A learner's whole journey in a real browser: sign in, enrol, answer a knowledge check,
complete every lesson and find the course completed on My learning."""

import pytest
from playwright.sync_api import Page, expect

from courses import services
from tests.factories import courses as build
from tests.factories.community import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e

CHECK = (
    "knowledge_check",
    {
        "question": "Which sslmode checks the server's host name?",
        "options": [{"text": "require", "correct": False}, {"text": "verify-full", "correct": True}],
        "explanation": "<p>Only verify-full checks the host name against the certificate.</p>",
    },
)


@pytest.mark.django_db(transaction=True)
def test_learner_enrols_answers_a_check_and_completes_the_course(page: Page, live_server, home_page):
    services.catalogue_ensure()
    course = build.course(title="Managed PostgreSQL Essentials", summary="Run PostgreSQL for customers.")
    build.lesson(course_page=course, title="Connecting securely", body=[("paragraph", "<p>Use TLS.</p>"), CHECK])
    build.lesson(course_page=course, title="Backups and recovery")
    learner = UserFactory(full_name="Jonas Weber")

    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(learner.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page.get_by_text("Jonas Weber").first).to_be_visible()

    page.goto(live_server.url + "/courses/")
    page.get_by_role("link", name="Managed PostgreSQL Essentials").click()
    page.get_by_role("button", name="Enrol").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Connecting securely")
    page.get_by_label("require").check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_text("Not quite.")).to_be_visible()
    expect(page.get_by_text("Only verify-full checks the host name")).to_be_visible()
    page.get_by_label("verify-full").check()
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_text("Correct.")).to_be_visible()

    page.get_by_role("button", name="Mark complete and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Backups and recovery")
    page.get_by_role("button", name="Mark complete and finish").click()
    expect(page.get_by_text("Course completed: Managed PostgreSQL Essentials.")).to_be_visible()

    page.goto(live_server.url + "/courses/my-learning/")
    completed = page.locator("section", has=page.get_by_role("heading", name="Completed"))
    expect(completed.get_by_role("link", name="Managed PostgreSQL Essentials")).to_be_visible()
    expect(completed.get_by_text("2 of 2 lessons completed")).to_be_visible()
