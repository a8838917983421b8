import pytest
from django.core.exceptions import ValidationError

from courses import selectors, services
from courses.models import Enrolment
from tests.factories import courses as build


@pytest.mark.django_db
def test_course_completes_when_every_published_lesson_is_done(user):
    course = build.course(lessons=2)
    build.lesson(course_page=course, live=False)  # a draft does not count
    services.course_enrol(user=user, course=course)
    first, second = selectors.lessons_live_of(course=course)
    services.lesson_complete(user=user, lesson=first)
    assert not selectors.course_is_completed(user=user, course=course)
    services.lesson_complete(user=user, lesson=second)
    assert selectors.course_is_completed(user=user, course=course)
    assert selectors.course_completed_ids(user=user, course_ids=[course.pk, 999]) == {course.pk}


@pytest.mark.django_db
def test_lesson_added_later_does_not_uncomplete_a_finished_course(user):
    course = build.course(lessons=1)
    services.course_enrol(user=user, course=course)
    services.lesson_complete(user=user, lesson=selectors.lessons_live_of(course=course).get())
    build.lesson(course_page=course)
    assert selectors.course_is_completed(user=user, course=course)


@pytest.mark.django_db
def test_completing_a_lesson_twice_is_harmless(user):
    course = build.course(lessons=2)
    services.course_enrol(user=user, course=course)
    lesson = selectors.lessons_live_of(course=course).first()
    services.lesson_complete(user=user, lesson=lesson)
    services.lesson_complete(user=user, lesson=lesson)
    assert not selectors.course_is_completed(user=user, course=course)
    assert selectors.completed_lesson_ids(user=user, course=course) == {lesson.pk}


@pytest.mark.django_db
def test_completing_a_lesson_requires_enrolment(user):
    course = build.course(lessons=1)
    with pytest.raises(ValidationError):
        services.lesson_complete(user=user, lesson=selectors.lessons_live_of(course=course).get())


@pytest.mark.django_db
def test_enrolment_refused_names_missing_prerequisites(user):
    academy = build.academy()
    basics = build.course(academy_page=academy, title="Kubernetes Basics", lessons=1)
    advanced = build.course(academy_page=academy, title="Kubernetes Operations")
    advanced.prerequisites.add(basics)
    advanced.save_revision().publish()
    with pytest.raises(services.EnrolmentRefused, match="Kubernetes Basics"):
        services.course_enrol(user=user, course=advanced)
    services.course_enrol(user=user, course=basics)
    services.lesson_complete(user=user, lesson=selectors.lessons_live_of(course=basics).get())
    assert services.course_enrol(user=user, course=advanced).course_id == advanced.pk


@pytest.mark.django_db
def test_enrolling_twice_keeps_one_enrolment(user):
    course = build.course()
    services.course_enrol(user=user, course=course)
    services.course_enrol(user=user, course=course)
    assert Enrolment.objects.filter(user=user, course=course).count() == 1


@pytest.mark.django_db
def test_academy_create_is_idempotent_and_found_by_vendor():
    academy = build.academy()
    again = services.academy_create(vendor=academy.vendor)
    assert again.pk == academy.pk
    assert selectors.academy_for_vendor(vendor=academy.vendor).pk == academy.pk
    assert academy.get_parent().url_path.endswith("/courses/")


@pytest.mark.django_db
def test_academy_create_command_opens_an_academy_for_a_new_vendor(capsys):
    from django.core.management import call_command

    from tests.factories.community import VendorFactory

    vendor = VendorFactory(name="Helix Storage", slug="helix-storage")
    call_command("academy_create", "helix-storage")
    vendor.refresh_from_db()
    academy = selectors.academy_for_vendor(vendor=vendor)
    assert academy.live and "Helix Storage Academy" in capsys.readouterr().out
    assert academy.permissions_for_user(_staff_of(vendor)).can_add_subpage()


def _staff_of(vendor):
    from tests.factories.community import UserFactory

    user = UserFactory(is_staff=True)
    user.groups.add(vendor.staff_group)
    return user
