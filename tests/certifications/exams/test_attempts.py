from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from certifications.exams import selectors, services, tasks
from certifications.models import (
    AttemptQuestion,
    Certificate,
    CertificationRequiredCourse,
    ExamAttempt,
    ExamAuditEvent,
    Option,
    Question,
)
from courses import services as course_services
from tests.factories import certifications as f
from tests.factories import courses as course_factories
from tests.factories.community import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam():
    return f.exam(questions=6, draw=4, sections=2, attempts_allowed=2, attempt_window_days=30, time_limit_minutes=30)


def test_start_freezes_draw_and_editing_the_bank_changes_nothing(exam, user):
    attempt = services.attempt_start(exam=exam, user=user)
    frozen = list(AttemptQuestion.objects.filter(attempt=attempt).values_list("text", "options"))
    assert len(frozen) == 8
    copy = AttemptQuestion.objects.filter(attempt=attempt).first()
    Question.objects.filter(pk=copy.question_id).update(text="Edited")
    Option.objects.filter(question_id=copy.question_id).update(is_correct=False, text="Edited option")
    assert list(AttemptQuestion.objects.filter(attempt=attempt).values_list("text", "options")) == frozen
    f.answer_all(attempt, correct=True)
    assert services.attempt_submit(attempt=attempt).score_percent == 100


def test_each_section_draws_its_count_from_its_own_pool(exam, user):
    attempt = services.attempt_start(exam=exam, user=user)
    sections = exam.sections.order_by("sort_order")
    for index, section in enumerate(sections):
        drawn = AttemptQuestion.objects.filter(attempt=attempt, section_index=index)
        assert drawn.count() == 4
        assert {q.question.pool_id for q in drawn} == {section.pool_id}


def test_second_start_resumes_the_attempt_in_progress(exam, user):
    first = services.attempt_start(exam=exam, user=user)
    assert services.attempt_start(exam=exam, user=user) == first
    assert ExamAttempt.objects.count() == 1


def test_second_submit_grades_once(exam, user):
    attempt = services.attempt_start(exam=exam, user=user)
    f.answer_all(attempt, correct=True)
    graded = services.attempt_submit(attempt=attempt)
    first_time = graded.submitted_at
    again = services.attempt_submit(attempt=attempt, now=timezone.now() + timedelta(minutes=5))
    assert again.submitted_at == first_time
    assert Certificate.objects.filter(attempt=attempt).count() == 1


def test_attempt_limit_holds_in_the_rolling_window_and_frees_up_after_it(exam, user):
    start = timezone.now() - timedelta(days=10)
    for i in range(2):
        attempt = services.attempt_start(exam=exam, user=user, now=start + timedelta(hours=i))
        services.attempt_submit(attempt=attempt, now=start + timedelta(hours=i, minutes=5))
    with pytest.raises(services.ExamUnavailable):
        services.attempt_start(exam=exam, user=user)
    standing = selectors.exam_standing(exam=exam, user=user)
    assert standing.attempts_left == 0
    assert standing.next_allowed_at == start + timedelta(days=30)
    later = start + timedelta(days=30, minutes=1)
    assert services.attempt_start(exam=exam, user=user, now=later).in_progress


def test_cooldown_after_a_failed_attempt(user):
    exam = f.exam(questions=4, cooldown_hours=24)
    attempt = services.attempt_start(exam=exam, user=user)
    failed = services.attempt_submit(attempt=attempt)
    assert failed.passed is False
    with pytest.raises(services.ExamUnavailable):
        services.attempt_start(exam=exam, user=user, now=timezone.now() + timedelta(hours=23))
    assert selectors.exam_standing(exam=exam, user=user).next_allowed_at == failed.submitted_at + timedelta(hours=24)
    assert services.attempt_start(exam=exam, user=user, now=timezone.now() + timedelta(hours=25)).in_progress


def test_answers_after_the_deadline_are_refused_and_saved_ones_graded(exam, user):
    started = timezone.now() - timedelta(minutes=40)
    attempt = services.attempt_start(exam=exam, user=user, now=started)
    q1 = AttemptQuestion.objects.get(attempt=attempt, position=1)
    right = [i for i, o in enumerate(q1.options) if o["correct"]]
    services.attempt_answer(attempt=attempt, position=1, selected=right, now=started + timedelta(minutes=5))
    with pytest.raises(services.AttemptClosed):
        services.attempt_answer(attempt=attempt, position=2, selected=[0])
    attempt.refresh_from_db()
    assert attempt.status == "graded" and attempt.auto_submitted
    assert attempt.submitted_at == attempt.deadline_at
    assert attempt.score_percent == pytest.approx(12.5)  # one of four in the first section, weight 1 each
    assert AttemptQuestion.objects.get(attempt=attempt, position=2).selected == []


def test_periodic_task_submits_overdue_attempts_only(exam, user):
    old = services.attempt_start(exam=exam, user=user, now=timezone.now() - timedelta(hours=1))
    other = UserFactory()
    fresh = services.attempt_start(exam=exam, user=other)
    assert tasks.attempts_submit_overdue.delay().get() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, old.auto_submitted, fresh.status) == ("graded", True, "in_progress")


def test_partial_credit_and_all_or_nothing_scoring():
    options = [{"correct": True}, {"correct": True}, {"correct": False}, {"correct": False}]
    points = services.answer_mark
    assert points(kind="multiple", scoring="partial", options=options, selected=[0]) == 0.5
    assert points(kind="multiple", scoring="partial", options=options, selected=[0, 2]) == 0
    assert points(kind="multiple", scoring="partial", options=options, selected=[0, 1]) == 1
    assert points(kind="multiple", scoring="all_or_nothing", options=options, selected=[0]) == 0
    assert points(kind="multiple", scoring="all_or_nothing", options=options, selected=[1, 0]) == 1
    assert points(kind="single", scoring="all_or_nothing", options=options[1:], selected=[0]) == 1


def test_each_questions_points_are_stored_with_the_grade(user):
    exam = f.exam(questions=4)
    attempt = services.attempt_start(exam=exam, user=user)
    f.answer_all(attempt, correct=2)
    partial = AttemptQuestion.objects.get(attempt=attempt, position=4)
    partial.kind, partial.scoring = "multiple", "partial"
    partial.options = [{"text": "a", "correct": True}, {"text": "b", "correct": True}, {"text": "c", "correct": False}]
    partial.selected = [0]
    partial.save()
    services.attempt_submit(attempt=attempt)
    stored = AttemptQuestion.objects.filter(attempt=attempt).order_by("position").values_list("points", flat=True)
    assert list(stored) == [1.0, 1.0, 0.0, 0.5]


def test_sections_are_weighted_and_reported(user):
    exam = f.exam(questions=2, sections=2)
    second = exam.sections.order_by("sort_order")[1]
    second.weight = 3
    second.save()
    attempt = services.attempt_start(exam=exam, user=user)
    f.answer_all(attempt, correct=2)  # the first section right, the second wrong
    graded = services.attempt_submit(attempt=attempt)
    assert [s["percent"] for s in graded.section_scores] == [100.0, 0.0]
    assert graded.score_percent == 25


def test_answer_must_fit_the_question(exam, user):
    attempt = services.attempt_start(exam=exam, user=user)
    with pytest.raises(ValidationError):
        services.attempt_answer(attempt=attempt, position=1, selected=[9])
    with pytest.raises(ValidationError):
        services.attempt_answer(attempt=attempt, position=1, selected=[0, 1])
    with pytest.raises(ValidationError):
        services.attempt_answer(attempt=attempt, position=99, selected=[0])


def test_flag_for_review_is_kept_apart_from_the_answer(exam, user):
    attempt = services.attempt_start(exam=exam, user=user)
    services.attempt_answer(attempt=attempt, position=1, selected=[1])
    services.attempt_answer(attempt=attempt, position=1, flagged=True)
    saved = AttemptQuestion.objects.get(attempt=attempt, position=1)
    assert (saved.selected, saved.flagged) == ([1], True)


def test_required_courses_must_be_complete_to_start(user):
    course = course_factories.course(lessons=1)
    exam = f.exam(certification_page=f.certification(courses=[course]), questions=3)
    with pytest.raises(services.ExamUnavailable):
        services.attempt_start(exam=exam, user=user)
    course_services.course_enrol(user=user, course=course)
    for lesson in course.get_children().specific():
        course_services.lesson_complete(user=user, lesson=lesson)
    attempt = services.attempt_start(exam=exam, user=user)
    f.answer_all(attempt)
    graded = services.attempt_submit(attempt=attempt)
    certificate = Certificate.objects.get()
    assert certificate.attempt == attempt and certificate.issued_at == graded.submitted_at


def test_a_pass_earns_one_certificate_and_a_fail_none(exam, user):
    attempt = services.attempt_start(exam=exam, user=user)
    f.answer_all(attempt, correct=True)
    services.attempt_submit(attempt=attempt)
    assert Certificate.objects.get().attempt == attempt
    other = UserFactory()
    failed = services.attempt_submit(attempt=services.attempt_start(exam=exam, user=other))
    assert not Certificate.objects.filter(attempt=failed).exists()


def test_a_pass_before_the_required_courses_are_complete_earns_no_certificate_then_or_later(user):
    """A course required after the attempt started: grading records the pass but issues nothing,
    and completing the course afterwards does not issue it either."""
    exam = f.exam(questions=3)
    attempt = services.attempt_start(exam=exam, user=user)
    f.answer_all(attempt, correct=True)
    course = course_factories.course(lessons=1)
    CertificationRequiredCourse.objects.create(certification=exam.certification, course=course, sort_order=0)
    assert services.attempt_submit(attempt=attempt).passed
    assert not Certificate.objects.exists()
    course_services.course_enrol(user=user, course=course)
    for lesson in course.get_children().specific():
        course_services.lesson_complete(user=user, lesson=lesson)
    assert not Certificate.objects.exists()


def test_accommodation_adds_time_and_an_attempt_once(exam, user):
    staff = UserFactory()
    for _i in range(2):
        services.attempt_submit(attempt=services.attempt_start(exam=exam, user=user))
    services.accommodation_grant(
        exam=exam, user=user, extra_minutes=15, extra_attempts=1, note="Screen reader", granted_by=staff
    )
    attempt = services.attempt_start(exam=exam, user=user)
    assert attempt.deadline_at - attempt.started_at == timedelta(minutes=45)
    services.attempt_submit(attempt=attempt)
    with pytest.raises(services.ExamUnavailable):
        services.attempt_start(exam=exam, user=user)
    assert ExamAuditEvent.objects.get().note == "Screen reader"


def test_accommodation_needs_a_note_and_something_to_grant(exam, user):
    with pytest.raises(ValidationError):
        services.accommodation_grant(exam=exam, user=user, extra_minutes=5, extra_attempts=0, note=" ", granted_by=user)
    with pytest.raises(ValidationError):
        services.accommodation_grant(exam=exam, user=user, extra_minutes=0, extra_attempts=0, note="x", granted_by=user)


def _failed_with_time_left(exam, user, *, minutes_used: int) -> ExamAttempt:
    started = timezone.now()
    attempt = services.attempt_start(exam=exam, user=user, now=started)
    f.answer_all(attempt, correct=False)
    services.attempt_answer(attempt=attempt, position=1, flagged=True)
    return services.attempt_submit(attempt=attempt, now=started + timedelta(minutes=minutes_used))


def test_reopened_attempt_continues_with_its_answers_and_the_time_that_remained(exam, user):
    failed = _failed_with_time_left(exam, user, minutes_used=12)
    answers = list(AttemptQuestion.objects.filter(attempt=failed).values_list("position", "selected", "flagged"))
    now = timezone.now()
    reopened = services.attempt_reopen(attempt=failed, note="Proctoring outage", by=UserFactory(), now=now)
    assert reopened.pk == failed.pk and reopened.in_progress
    assert reopened.deadline_at == now + timedelta(minutes=18)
    assert (reopened.submitted_at, reopened.passed, reopened.score_percent) == (None, None, None)
    assert (
        list(AttemptQuestion.objects.filter(attempt=failed).values_list("position", "selected", "flagged")) == answers
    )
    assert services.attempt_start(exam=exam, user=user, now=now) == reopened
    assert ExamAttempt.objects.count() == 1
    event = ExamAuditEvent.objects.get(kind="reopen")
    assert event.attempt_id == failed.pk and event.note == "Proctoring outage"
    assert event.details["remaining_seconds"] == 18 * 60 and event.details["score_percent"] == "0.00"
    with pytest.raises(services.AttemptClosed):
        services.attempt_answer(attempt=reopened, position=2, selected=[0], now=now + timedelta(minutes=18))


def test_reopened_attempt_is_graded_once_more_and_a_pass_issues_one_certificate(exam, user):
    failed = _failed_with_time_left(exam, user, minutes_used=5)
    services.attempt_reopen(attempt=failed, note="Browser crashed", by=UserFactory())
    f.answer_all(failed, correct=True)
    graded = services.attempt_submit(attempt=failed)
    assert graded.passed and graded.score_percent == 100 and graded.reopened_at is not None
    again = services.attempt_submit(attempt=failed, now=timezone.now() + timedelta(minutes=1))
    assert again.submitted_at == graded.submitted_at
    assert Certificate.objects.filter(attempt=failed, holder=user).count() == 1
    assert selectors.exam_standing(exam=exam, user=user).attempts_used == 1
    with pytest.raises(ValidationError):
        services.attempt_reopen(attempt=graded, note="again", by=user)


def test_reopened_attempt_can_fail_again_only_once(exam, user):
    failed = _failed_with_time_left(exam, user, minutes_used=5)
    services.attempt_reopen(attempt=failed, note="Network", by=UserFactory())
    assert services.attempt_submit(attempt=failed).passed is False
    with pytest.raises(ValidationError):
        services.attempt_reopen(attempt=failed, note="again", by=UserFactory())
    assert ExamAuditEvent.objects.filter(kind="reopen").count() == 1


def test_reopen_is_refused_beside_another_attempt_in_progress(exam, user):
    failed = _failed_with_time_left(exam, user, minutes_used=5)
    services.attempt_start(exam=exam, user=user)
    with pytest.raises(ValidationError, match="another attempt"):
        services.attempt_reopen(attempt=failed, note="Network", by=UserFactory())
    failed.refresh_from_db()
    assert not failed.in_progress and failed.reopened_at is None
    assert not ExamAuditEvent.objects.exists()


def test_reopen_of_an_attempt_that_ran_out_of_time_needs_extra_minutes(exam, user):
    timed_out = _failed_with_time_left(exam, user, minutes_used=45)
    assert timed_out.auto_submitted
    with pytest.raises(ValidationError, match="extra minutes"):
        services.attempt_reopen(attempt=timed_out, note="Power cut", by=UserFactory())
    now = timezone.now()
    reopened = services.attempt_reopen(attempt=timed_out, note="Power cut", by=UserFactory(), extra_minutes=10, now=now)
    assert reopened.deadline_at == now + timedelta(minutes=10) and not reopened.auto_submitted


def test_reopen_is_refused_once_the_answers_were_revealed(user):
    exam = f.exam(questions=3, reveal_answers=True)
    failed = services.attempt_submit(attempt=services.attempt_start(exam=exam, user=user))
    with pytest.raises(ValidationError, match="correct answers"):
        services.attempt_reopen(attempt=failed, note="Outage", by=UserFactory())


def test_deadlines_do_not_depend_on_the_server_time_zone(settings, exam, user):
    settings.TIME_ZONE = "Asia/Shanghai"
    timezone.activate("America/New_York")
    try:
        attempt = services.attempt_start(exam=exam, user=user)
        attempt.refresh_from_db()
        assert attempt.deadline_at - attempt.started_at == timedelta(minutes=30)
        assert attempt.deadline_at.utcoffset() == timedelta(0)
    finally:
        timezone.deactivate()


def test_weighted_scoring_is_moodles_sum_of_the_chosen_weights():
    points = services.answer_mark
    colours = [
        {"correct": True, "fraction": "0.5"},
        {"correct": False, "fraction": "-1"},
        {"correct": True, "fraction": "0.5"},
        {"correct": False, "fraction": "0"},
    ]
    assert points(kind="multiple", scoring="weighted", options=colours, selected=[0]) == 0.5
    assert points(kind="multiple", scoring="weighted", options=colours, selected=[0, 2]) == 1
    assert points(kind="multiple", scoring="weighted", options=colours, selected=[0, 1, 2]) == 0
    assert points(kind="multiple", scoring="weighted", options=colours, selected=[0, 2, 3]) == 1
    thirds = [{"correct": True, "fraction": "0.3333333"}] * 3 + [{"correct": False, "fraction": "-0.5"}]
    assert points(kind="multiple", scoring="weighted", options=thirds, selected=[0, 1]) == 0.6666666
    half_credit = [
        {"correct": False, "fraction": "0"},
        {"correct": True, "fraction": "0.5"},
        {"correct": True, "fraction": "1"},
    ]
    assert [points(kind="single", scoring="weighted", options=half_credit, selected=[i]) for i in range(3)] == [
        0,
        0.5,
        1,
    ]
    assert points(kind="single", scoring="weighted", options=half_credit, selected=[]) == 0
