"""A course's translation (the page with its translation key in another locale) is the same
course: completing either counts wherever the course is required."""

import pytest

from courses import selectors, services
from tests.factories import courses as f
from tests.factories.community import UserFactory


def _complete(user, course):
    services.course_enrol(user=user, course=course)
    for lesson in selectors.lessons_live_of(course=course):
        services.lesson_complete(user=user, lesson=lesson)


@pytest.mark.django_db
def test_a_translation_shares_the_originals_translation_key_in_its_own_locale():
    original = f.course(lessons=1)
    chinese = f.translation(page=original, title="中文课程")
    assert chinese.translation_key == original.translation_key
    assert chinese.locale.language_code == "zh-hans"
    assert chinese.get_parent().specific.vendor_id == original.get_parent().specific.vendor_id
    assert chinese.url == f"/zh-hans{original.url}"


@pytest.mark.django_db
def test_completing_a_translation_completes_the_course_both_ways():
    original = f.course(lessons=1)
    chinese = f.translation(page=original, title="中文课程")
    f.lesson(course_page=chinese)
    other = f.course(lessons=1)
    learner, other_learner = UserFactory(), UserFactory()
    _complete(learner, chinese)
    _complete(other_learner, original)
    ids = [original.pk, chinese.pk, other.pk]
    assert selectors.course_completed_ids(user=learner, course_ids=ids) == {original.pk, chinese.pk}
    assert selectors.course_completed_ids(user=other_learner, course_ids=ids) == {original.pk, chinese.pk}
    statuses = selectors.course_statuses_for_users(user_ids=[learner.pk], course_ids=[original.pk, other.pk])
    assert statuses == {(learner.pk, original.pk): selectors.COMPLETED}


@pytest.mark.django_db
def test_a_translation_completed_meets_a_prerequisite():
    original = f.course(lessons=1)
    chinese = f.translation(page=original, title="中文课程")
    f.lesson(course_page=chinese)
    advanced = f.course(academy_page=original.get_parent().specific, lessons=1)
    advanced.prerequisites.add(original)
    learner = UserFactory()
    _complete(learner, chinese)
    assert selectors.missing_prerequisites(user=learner, course=advanced) == []


@pytest.mark.django_db
def test_an_academys_translation_gets_the_vendor_groups_permissions_and_workflow():
    from wagtail.models import GroupPagePermission

    original = f.course()
    academy = original.get_parent().specific
    chinese_academy = f.translation(page=academy)
    vendor = academy.vendor
    assert GroupPagePermission.objects.filter(page=chinese_academy, group=vendor.staff_group).exists()
    assert GroupPagePermission.objects.filter(page=chinese_academy, group=vendor.manager_group).exists()
    assert chinese_academy.get_workflow() == academy.get_workflow()


@pytest.mark.django_db
def test_a_separate_course_becomes_the_translation_with_its_learners_progress():
    original = f.course(lessons=1)
    academy = original.get_parent().specific
    separate = f.course(academy_page=academy, slug="course-in-chinese", title="中文课程", lessons=1)
    learner = UserFactory()
    _complete(learner, separate)
    chinese_academy = f.translation(page=academy)

    course = services.course_make_translation(course=separate, original=original, parent=chinese_academy)

    course.refresh_from_db()
    assert course.translation_key == original.translation_key
    assert course.locale_id == chinese_academy.locale_id
    assert course.slug == original.slug
    assert course.get_parent().pk == chinese_academy.pk
    assert all(lesson.locale_id == course.locale_id for lesson in course.get_children())
    assert selectors.course_completed_ids(user=learner, course_ids=[original.pk]) == {original.pk}


@pytest.mark.django_db
def test_the_catalogue_filters_a_vendors_courses_in_every_language_and_lists_the_vendor_once():
    original = f.course()
    chinese = f.translation(page=original, title="中文课程")
    vendor = original.get_parent().specific.vendor
    found = {course.pk for course in selectors.catalogue_search(vendor_slug=vendor.slug)}
    assert found == {original.pk, chinese.pk}
    assert [v.pk for v in selectors.catalogue_filters()["vendors"]] == [vendor.pk]


@pytest.mark.django_db
def test_vendor_staff_may_submit_translations_of_their_academys_pages():
    from community import services as community_services
    from tests.factories.community import VendorFactory

    author = UserFactory()
    community_services.vendor_staff_add(vendor=VendorFactory(), user=author)
    assert author.has_perm("simple_translation.submit_translation")
