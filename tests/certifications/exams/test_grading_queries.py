import pytest

from certifications.exams import services
from certifications.models import Certificate
from tests.factories import certifications as f
from tests.factories.community import UserFactory

pytestmark = pytest.mark.django_db


def _graded_query_count(count_queries, *, questions: int, correct) -> int:
    exam = f.exam(questions=questions)
    attempt = services.attempt_start(exam=exam, user=UserFactory())
    f.answer_all(attempt, correct=correct)
    with count_queries() as queries:
        graded = services.attempt_submit(attempt=attempt)
    assert graded.passed is (correct is True)
    return len(queries)


def test_grading_a_100_question_attempt_uses_a_fixed_number_of_queries(count_queries):
    small = _graded_query_count(count_queries, questions=4, correct=2)
    large = _graded_query_count(count_queries, questions=100, correct=50)
    assert large == small
    assert large <= 6


def test_grading_a_pass_and_issuing_its_certificate_uses_a_fixed_number_of_queries(count_queries):
    small = _graded_query_count(count_queries, questions=4, correct=True)
    large = _graded_query_count(count_queries, questions=100, correct=True)
    assert large == small
    # Grading takes 6; issuing the certificate, its required courses checked, 11 more.
    assert large <= 17
    assert Certificate.objects.count() == 2
