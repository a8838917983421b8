import pytest
from django.core.management import call_command

from courses import selectors
from courses.models import AcademyPage, CoursePage, Enrolment, LearningPathPage, LessonPage, LessonProgress


@pytest.mark.django_db
def test_demo_builds_academies_with_real_courses_and_is_idempotent(capsys):
    call_command("seed_demo")
    counts = [m.objects.count() for m in (AcademyPage, CoursePage, LessonPage, LearningPathPage, Enrolment)]
    progress = LessonProgress.objects.count()
    call_command("seed_demo")
    assert counts == [m.objects.count() for m in (AcademyPage, CoursePage, LessonPage, LearningPathPage, Enrolment)]
    assert LessonProgress.objects.count() == progress

    assert {a.vendor.slug for a in AcademyPage.objects.live()} == {"nimbus-cloud", "arclight-networks"}
    # The English academies hold the catalogue; their Chinese translations hold what is translated.
    for academy in AcademyPage.objects.filter(locale__language_code="en"):
        assert CoursePage.objects.live().child_of(academy).count() >= 3
        assert LearningPathPage.objects.live().child_of(academy).exists()
    assert CoursePage.objects.live().filter(language="zh-hans").exists()
    block_types = {block.block_type for lesson in LessonPage.objects.all() for block in lesson.body}
    assert {"code", "callout", "knowledge_check", "table", "download", "video", "figure"} <= block_types
    assert "lorem" not in str([lesson.body.raw_data for lesson in LessonPage.objects.all()]).lower()

    statuses = set()
    for enrolment in Enrolment.objects.select_related("user"):
        statuses |= set(selectors.course_statuses(user=enrolment.user, course_ids=[enrolment.course_id]).values())
    assert statuses == {"enrolled", "in_progress", "completed"}
