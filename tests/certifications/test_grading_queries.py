import pytest

from certifications import services
from tests.factories import certifications as f

pytestmark = pytest.mark.django_db


def _graded_query_count(count_queries, *, questions: int, user) -> int:
    exam = f.exam(questions=questions)
    attempt = services.attempt_start(exam=exam, user=user)
    f.answer_all(attempt, correct=questions // 2)
    with count_queries() as queries:
        graded = services.attempt_submit(attempt=attempt)
    assert graded.score_percent == 50
    return len(queries)


def test_grading_a_100_question_attempt_uses_a_fixed_number_of_queries(count_queries, user):
    from tests.factories.community import UserFactory

    small = _graded_query_count(count_queries, questions=4, user=user)
    large = _graded_query_count(count_queries, questions=100, user=UserFactory())
    assert large == small
    assert large <= 6
