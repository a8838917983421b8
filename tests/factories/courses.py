"""Course tree builders. Pages are created through the Wagtail tree (add_child) and published,
as an editor would; use `live=False` for a draft."""

import itertools

from courses import services
from courses.models import AcademyPage, CoursePage, LearningPathCourse, LearningPathPage, LessonPage
from tests.factories.community import VendorFactory

_seq = itertools.count(1)


def _publish(page, live: bool):
    if live:
        page.save_revision().publish()
    else:
        page.live = False
        page.save(update_fields=["live"])
        page.save_revision()
    return page


def academy(*, vendor=None) -> AcademyPage:
    return services.academy_create(vendor=vendor or VendorFactory())


def course(*, academy_page: AcademyPage | None = None, live: bool = True, lessons: int = 0, **fields) -> CoursePage:
    n = next(_seq)
    parent = academy_page or academy()
    fields.setdefault("title", f"Course {n}")
    fields.setdefault("slug", f"course-{n}")
    fields.setdefault("summary", f"What course {n} teaches.")
    page = parent.add_child(instance=CoursePage(**fields))
    _publish(page, live)
    for _i in range(lessons):
        lesson(course_page=page)
    return page


def lesson(*, course_page: CoursePage, live: bool = True, body=None, **fields) -> LessonPage:
    n = next(_seq)
    fields.setdefault("title", f"Lesson {n}")
    fields.setdefault("slug", f"lesson-{n}")
    page = course_page.add_child(
        instance=LessonPage(body=body or [("paragraph", f"<p>Content of lesson {n}.</p>")], **fields)
    )
    return _publish(page, live)


def learning_path(*, academy_page: AcademyPage, courses: list[CoursePage], **fields) -> LearningPathPage:
    n = next(_seq)
    fields.setdefault("title", f"Path {n}")
    fields.setdefault("slug", f"path-{n}")
    fields.setdefault("summary", "A path.")
    page = LearningPathPage(**fields)
    page.path_courses = [LearningPathCourse(course=c, sort_order=i) for i, c in enumerate(courses)]
    academy_page.add_child(instance=page)
    return _publish(page, True)


def translation(*, page, language: str = "zh-hans", **fields):
    """`page`'s translation into `language`, published, its ancestors translated first (as an
    editor translates a tree from the top down)."""
    from community import services as community_services

    for ancestor in page.get_ancestors().filter(depth__gt=1).specific():
        community_services.page_translation_ensure(page=ancestor, language=language)
    return community_services.page_translation_ensure(page=page, language=language, fields=fields)
