import re

import pytest
from playwright.sync_api import Page, expect

from certifications.models import AttemptQuestion, ExamAttempt
from tests.e2e.signing_in import sign_in
from tests.factories import certifications as f
from tests.factories.community import UserFactory

pytestmark = pytest.mark.e2e


def _correct_letter_index(attempt: ExamAttempt, position: int) -> int:
    question = AttemptQuestion.objects.get(attempt=attempt, position=position)
    return next(i for i, option in enumerate(question.options) if option["correct"])


@pytest.mark.django_db(transaction=True)
def test_candidate_takes_an_exam_reloads_mid_way_and_sees_the_result(page: Page, live_server, home_page):
    exam = f.exam(questions=3, time_limit_minutes=30)
    user = UserFactory()
    sign_in(page, live_server.url, user.email)

    page.goto(live_server.url + exam.certification.url)
    page.get_by_role("button", name="Start the exam").click()
    expect(page.get_by_role("heading", name="Question 1 of 3")).to_be_visible()
    expect(page.locator("[data-timer-value]")).to_have_text(re.compile(r"^(29|30):\d\d$"))
    attempt = ExamAttempt.objects.get(user=user)

    # Answer the first two questions through autosave (no form submit), flag the second.
    page.locator("input[name=option]").nth(_correct_letter_index(attempt, 1)).check()
    expect(page.locator("[data-save-status]")).to_have_text(re.compile("Saved"))
    page.locator(".exam-nav-cell[data-position='2']").click()
    expect(page.get_by_role("heading", name="Question 2 of 3")).to_be_visible()
    page.locator("input[name=option]").nth(_correct_letter_index(attempt, 2)).check()
    page.get_by_label("Flag for review").check()
    expect(page.locator("[data-save-status]")).to_have_text(re.compile("Saved"))

    # A reload loses nothing.
    page.reload()
    expect(page.locator("input[name=option]").nth(_correct_letter_index(attempt, 2))).to_be_checked()
    expect(page.get_by_label("Flag for review")).to_be_checked()
    expect(page.locator(".exam-nav-cell[data-position='1']")).to_have_class(re.compile("is-answered"))
    expect(page.locator(".exam-nav-cell[data-position='2']")).to_have_class(re.compile("is-flagged"))

    # The last question through the form buttons, then review and submit.
    page.get_by_role("button", name=re.compile("Save and next")).click()
    expect(page.get_by_role("heading", name="Question 3 of 3")).to_be_visible()
    page.locator("input[name=option]").nth(_correct_letter_index(attempt, 3)).check()
    page.get_by_role("button", name="Save and review").click()
    expect(page.get_by_role("heading", name="Review and submit")).to_be_visible()
    page.get_by_role("button", name="Submit the exam").click()

    expect(page.get_by_role("heading", name="Exam result")).to_be_visible()
    expect(page.locator("[data-score]")).to_have_text("100%")
    expect(page.get_by_text("Congratulations, you passed.")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.passed and attempt.status == "graded"
