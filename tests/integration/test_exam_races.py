"""Exam races on PostgreSQL: threads, each with its own connection, start and submit the same
exam at the same moment. The user-row lock at start, the attempt-row lock at submit and the
partial unique constraint must keep one attempt in progress, the attempt limit, and one grading."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certifications.exams import services
from certifications.models import Certificate, ExamAttempt
from tests.factories import certifications as f
from tests.factories.community import UserFactory
from tests.integration.racing import race

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

THREADS = 4


def test_concurrent_starts_make_one_attempt_and_respect_the_limit(home_page):
    exam = f.exam(questions=5, attempts_allowed=1)
    user = UserFactory()
    outcomes = race([lambda: services.attempt_start(exam=exam, user=user)] * THREADS)
    attempts = [o for o in outcomes if isinstance(o, ExamAttempt)]
    assert len(attempts) == THREADS, outcomes
    assert len({a.pk for a in attempts}) == 1
    assert ExamAttempt.objects.filter(exam=exam, user=user).count() == 1
    services.attempt_submit(attempt=attempts[0])
    outcomes = race([lambda: services.attempt_start(exam=exam, user=user)] * THREADS)
    assert all(isinstance(o, services.ExamUnavailable) for o in outcomes), outcomes
    assert ExamAttempt.objects.filter(exam=exam, user=user).count() == 1


def test_concurrent_submits_grade_once_and_issue_one_certificate(home_page):
    exam = f.exam(questions=5)
    user = UserFactory()
    attempt = services.attempt_start(exam=exam, user=user)
    f.answer_all(attempt, correct=True)
    outcomes = race([lambda: services.attempt_submit(attempt=attempt)] * THREADS)
    assert all(isinstance(o, ExamAttempt) for o in outcomes), outcomes
    assert len({o.submitted_at for o in outcomes}) == 1
    assert Certificate.objects.filter(attempt=attempt).count() == 1


def test_submit_racing_the_deadline_sweep_grades_once(home_page):
    exam = f.exam(questions=5, time_limit_minutes=10)
    user = UserFactory()
    attempt = services.attempt_start(exam=exam, user=user, now=timezone.now() - timedelta(minutes=11))
    outcomes = race([lambda: services.attempt_submit(attempt=attempt), lambda: services.attempts_submit_overdue()] * 2)
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    attempt.refresh_from_db()
    assert attempt.status == "graded" and attempt.auto_submitted
    assert attempt.submitted_at == attempt.deadline_at
    # The sweep reports only attempts it graded itself: at most once, and never after a submit did.
    assert sum(o for o in outcomes if isinstance(o, int)) <= 1
    assert {o.submitted_at for o in outcomes if isinstance(o, ExamAttempt)} == {attempt.deadline_at}


def test_a_new_start_racing_a_submit_of_an_overdue_attempt_grades_it_once(home_page, monkeypatch):
    """Starting again finds the old attempt past its deadline and grades it, under the same row lock
    a submit takes, so the two never both grade it."""
    exam = f.exam(questions=5, time_limit_minutes=10)
    user = UserFactory()
    attempt = services.attempt_start(exam=exam, user=user, now=timezone.now() - timedelta(minutes=11))
    gradings = []
    grade = services._grade
    monkeypatch.setattr(services, "_grade", lambda **kwargs: (gradings.append(kwargs["attempt"].pk), grade(**kwargs)))
    outcomes = race(
        [lambda: services.attempt_submit(attempt=attempt), lambda: services.attempt_start(exam=exam, user=user)] * 2
    )
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert gradings.count(attempt.pk) == 1


def test_a_cooldown_holds_when_a_failing_submit_races_new_starts(home_page):
    exam = f.exam(questions=5, cooldown_hours=24, attempts_allowed=5)
    user = UserFactory()
    attempt = services.attempt_start(exam=exam, user=user)
    calls = [lambda: services.attempt_submit(attempt=attempt)] + [
        lambda: services.attempt_start(exam=exam, user=user)
    ] * (THREADS - 1)
    outcomes = race(calls)
    assert not any(isinstance(o, Exception) and not isinstance(o, services.ExamUnavailable) for o in outcomes)
    # Starts that ran before the submit resumed the same attempt; after it, the cooldown refused.
    assert ExamAttempt.objects.filter(exam=exam, user=user).count() == 1
