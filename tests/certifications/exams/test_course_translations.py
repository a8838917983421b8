"""A certification's required course is met by completing the course in any of its languages."""

import pytest

from certifications.certificates.issuing import RequiredCoursesIncomplete, certificate_issue
from certifications.exams import selectors
from courses import selectors as course_selectors
from courses import services as course_services
from tests.factories import certifications as f
from tests.factories import courses as course_factories
from tests.factories.community import UserFactory

pytestmark = pytest.mark.django_db


def _complete(user, course):
    course_services.course_enrol(user=user, course=course)
    for lesson in course_selectors.lessons_live_of(course=course):
        course_services.lesson_complete(user=user, lesson=lesson)


def _course_and_translation():
    original = course_factories.course(lessons=1)
    chinese = course_factories.translation(page=original, title="中文课程")
    course_factories.lesson(course_page=chinese)
    return original, chinese


@pytest.mark.parametrize("required, completed", [("original", "chinese"), ("chinese", "original")])
def test_completing_any_translation_of_a_required_course_meets_the_requirement(required, completed):
    original, chinese = _course_and_translation()
    pages = {"original": original, "chinese": chinese}
    exam = f.exam(certification_page=f.certification(courses=[pages[required]]), questions=3)
    learner = UserFactory()
    attempt = f.passed_attempt(exam=exam, user=learner)
    with pytest.raises(RequiredCoursesIncomplete):
        certificate_issue(attempt=attempt)
    _complete(learner, pages[completed])
    standing = selectors.exam_standing(exam=exam, user=learner)
    assert standing.missing_courses == []
    assert standing.can_start
    assert certificate_issue(attempt=attempt).holder == learner


def test_completing_another_course_does_not_meet_the_requirement():
    original, _chinese = _course_and_translation()
    exam = f.exam(certification_page=f.certification(courses=[original]), questions=3)
    learner = UserFactory()
    _complete(learner, course_factories.course(lessons=1))
    with pytest.raises(RequiredCoursesIncomplete):
        certificate_issue(attempt=f.passed_attempt(exam=exam, user=learner))
    assert selectors.exam_standing(exam=exam, user=learner).missing_courses == [original]


def test_certification_page_queries_do_not_grow_with_translated_courses(client, count_queries):
    learner = UserFactory()
    certification = f.certification()
    f.exam(certification_page=certification, questions=3)
    client.force_login(learner)

    def add_translated_requirement(i):
        original, chinese = _course_and_translation()
        _complete(learner, chinese)
        certification.required_courses.create(course=original, sort_order=i)

    def measure():
        client.get(certification.url)
        with count_queries() as queries:
            response = client.get(certification.url)
        assert response.status_code == 200
        return queries

    add_translated_requirement(0)
    few = measure()
    for i in range(1, 4):
        add_translated_requirement(i)
    many = measure()
    assert len(few) == len(many), many.sql()
    assert many.context.captured_queries  # measured something
    content = client.get(certification.url).content.decode()
    assert "Complete the required courses" not in content
