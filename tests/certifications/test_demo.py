import io

import pytest
from django.core.management import call_command

from certifications.models import AttemptPass, CertificationPage, ExamAttempt, Question, QuestionPool

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_exams_pools_and_attempts_in_every_state_and_is_idempotent(home_page):
    call_command("seed_demo", stdout=io.StringIO())
    first = {
        "pages": CertificationPage.objects.live().count(),
        "questions": Question.objects.count(),
        "attempts": ExamAttempt.objects.count(),
    }
    call_command("seed_demo", stdout=io.StringIO())
    assert first == {
        "pages": CertificationPage.objects.live().count(),
        "questions": Question.objects.count(),
        "attempts": ExamAttempt.objects.count(),
    }
    assert first["pages"] >= 2
    assert all(pool.questions.count() >= 20 for pool in QuestionPool.objects.all())
    attempts = ExamAttempt.objects.all()
    assert attempts.filter(status="in_progress").exists()
    assert attempts.filter(passed=True).exists()
    assert attempts.filter(passed=False, auto_submitted=False).exists()
    assert attempts.filter(auto_submitted=True).exists()
    assert AttemptPass.objects.count() == attempts.filter(passed=True).count()
