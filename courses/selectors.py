"""Reads about courses, learning paths and learners' progress, shaped for the pages that show
them. Other apps (certifications) read course completion through these functions."""

import operator
from collections.abc import Iterable
from datetime import datetime
from functools import reduce
from uuid import UUID

from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from community.models import Product, User, Vendor
from community.selectors import pages_public
from courses.models import (
    AcademyPage,
    CoursePage,
    Enrolment,
    LearningPathCourse,
    LearningPathPage,
    LessonPage,
    LessonProgress,
)

COVER_FILTER = "fill-640x320"

# Learner-facing status of a course, as the catalogue and "My learning" badge it.
ENROLLED, IN_PROGRESS, COMPLETED = "enrolled", "in_progress", "completed"


def academy_for_vendor(*, vendor: Vendor) -> AcademyPage | None:
    """The vendor's academy page (live or not), or None if it has none yet."""
    return AcademyPage.objects.filter(vendor=vendor, locale=Locale.get_default()).first()


def academies_live() -> QuerySet[AcademyPage]:
    return AcademyPage.objects.live().select_related("vendor").order_by("path")


def courses_live() -> QuerySet[CoursePage]:
    return pages_public(pages=CoursePage.objects.live())


def learning_paths_live() -> QuerySet[LearningPathPage]:
    return pages_public(pages=LearningPathPage.objects.live())


def learning_path_cards(*, paths: QuerySet[LearningPathPage]) -> QuerySet[LearningPathPage]:
    """Paths with what a card shows, in one query: `course_count`, their published courses."""
    steps = (
        LearningPathCourse.objects.filter(path=OuterRef("pk"), course__live=True)
        .order_by()
        .values("path")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return paths.annotate(course_count=Coalesce(Subquery(steps, output_field=IntegerField()), 0))


def lessons_live_of(*, course: CoursePage) -> QuerySet[LessonPage]:
    """The course's published lessons in outline (tree) order, without their bodies: lists of
    lessons show titles and links, and a body is the bulk of a lesson row."""
    return LessonPage.objects.live().child_of(course).defer_streamfields().order_by("path")


def _lesson_count() -> Subquery:
    lessons = (
        # Children's paths are the course's path plus one step: a range the path index serves,
        # where a LIKE built from another row's path is a scan of every lesson.
        LessonPage.objects.live()
        .filter(
            depth=OuterRef("depth") + 1,
            path__gt=OuterRef("path"),
            path__lte=Concat(OuterRef("path"), Value("Z" * Page.steplen), output_field=CharField()),
        )
        .order_by()
        .values("depth")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(lessons, output_field=IntegerField()), 0)


def course_cards(*, courses: QuerySet[CoursePage]) -> QuerySet[CoursePage]:
    """Courses with what a catalogue card shows, in a fixed number of queries: cover image and
    its rendition, products and the number of published lessons (`lesson_count`). The overview
    is left out. Renditions are prefetched through the joined image (`prefetched_renditions`
    is where Wagtail looks first), so no card asks the cache or the database for its own."""
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=COVER_FILTER)
    return (
        courses.defer_streamfields()
        .select_related("cover_image")
        .prefetch_related(
            Prefetch("cover_image__renditions", queryset=renditions, to_attr="prefetched_renditions"),
            Prefetch("products", queryset=Product.objects.order_by("name")),
        )
        .annotate(lesson_count=_lesson_count())
    )


def catalogue_search(
    *,
    query: str = "",
    vendor_slug: str = "",
    product_slug: str = "",
    level: str = "",
    language: str = "",
) -> QuerySet[CoursePage]:
    """Live, public courses matching the filters, newest first; `query` goes through Wagtail
    search. Unknown filter values match nothing rather than being ignored."""
    courses = courses_live()
    if vendor_slug:
        # The vendor's academy in every language: its translations hold the translated courses.
        paths = list(academies_live().filter(vendor__slug=vendor_slug).values_list("path", flat=True))
        in_academies = reduce(operator.or_, (Q(path__startswith=path) for path in paths), Q(pk__in=[]))
        courses = courses.filter(in_academies)
    if product_slug:
        # A subquery rather than a join, so no course repeats and no DISTINCT is needed: with
        # DISTINCT the page count would compute every course's lesson count.
        tagged = CoursePage.products.through.objects.filter(product__slug=product_slug).values("coursepage_id")
        courses = courses.filter(pk__in=tagged)
    if level:
        courses = courses.filter(level=level)
    if language:
        courses = courses.filter(language=language)
    if query:
        # The search backend takes plain filters only; `courses` already leaves private pages out.
        matching = [page.pk for page in CoursePage.objects.live().search(query, fields=None)]
        courses = courses.filter(pk__in=matching)
    return course_cards(courses=courses.order_by("-first_published_at", "path"))


def catalogue_filters() -> dict:
    """The choices the catalogue's filter form offers: vendors that have an academy and their
    products; and those live `academies` (with their vendors) for the cards to reuse."""
    academies = list(academies_live())
    vendors = list({academy.vendor_id: academy.vendor for academy in academies}.values())  # one per translation
    vendor_ids = [vendor.pk for vendor in vendors]
    return {
        "academies": academies,
        "vendors": vendors,
        "products": list(Product.objects.filter(vendor_id__in=vendor_ids).order_by("vendor__name", "name")),
    }


def academy_by_path(*, courses: Iterable[Page], known: Iterable[AcademyPage] = ()) -> dict[str, AcademyPage]:
    """Each course's academy (its parent) keyed by the course's path: taken from `known`
    academies (with vendors) where it is one of them, the others read in one query."""
    by_parent = {academy.path: academy for academy in known}
    missing = {course.path[: -Page.steplen] for course in courses} - by_parent.keys()
    if missing:
        by_parent.update(
            (academy.path, academy) for academy in AcademyPage.objects.filter(path__in=missing).select_related("vendor")
        )
    return {course.path: by_parent.get(course.path[: -Page.steplen]) for course in courses}


def course_of(*, lesson: LessonPage) -> CoursePage:
    """The course a lesson belongs to (its parent), in one query."""
    return CoursePage.objects.get(path=lesson.path[: -Page.steplen])


def academy_of(*, page: Page) -> AcademyPage | None:
    """The academy a course or learning path sits in (its parent page)."""
    return AcademyPage.objects.filter(path=page.path[: -Page.steplen]).select_related("vendor").first()


def enrolment_for(*, user: User, course: CoursePage) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, course=course).first()


def course_statuses(*, user: User, course_ids: Iterable[int]) -> dict[int, str]:
    """`{course_id: "enrolled" | "in_progress" | "completed"}` for the user's enrolments among
    `course_ids`, in one query (none for anonymous visitors)."""
    course_ids = list(course_ids)
    if not user.is_authenticated or not course_ids:
        return {}
    rows = Enrolment.objects.filter(user=user, course_id__in=course_ids).values_list(
        "course_id", "completed_at", "last_lesson_id"
    )
    statuses = {}
    for course_id, completed_at, last_lesson_id in rows:
        if completed_at is not None:
            statuses[course_id] = COMPLETED
        elif last_lesson_id is not None:
            statuses[course_id] = IN_PROGRESS
        else:
            statuses[course_id] = ENROLLED
    return statuses


def course_completions(*, user: User | OuterRef, translation_key: UUID | OuterRef) -> QuerySet[Enrolment]:
    """The user's completed enrolments in the course with `translation_key`, in any of its
    languages: a course's translation (the page with its translation key in another locale) teaches
    the same course, so completing it counts for prerequisites and certifications alike. Completion
    is stored, so a lesson added after completion does not change the answer. `user` and
    `translation_key` may be `OuterRef`s, for an `Exists` inside another query."""
    return Enrolment.objects.filter(user=user, completed_at__isnull=False, course__translation_key=translation_key)


def course_completed_ids(*, user: User, course_ids: Iterable[int]) -> set[int]:
    """Which of `course_ids` the user has completed, in any of its languages (`course_completions`).
    One query; empty for anonymous users."""
    course_ids = list(course_ids)
    if not user.is_authenticated or not course_ids:
        return set()
    completed = course_completions(user=user, translation_key=OuterRef("translation_key"))
    return set(CoursePage.objects.filter(pk__in=course_ids).filter(Exists(completed)).values_list("pk", flat=True))


def course_is_completed(*, user: User, course: CoursePage) -> bool:
    """Whether the user has completed `course`."""
    return bool(course_completed_ids(user=user, course_ids=[course.pk]))


def completed_lesson_ids(*, user: User, course: CoursePage) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(LessonProgress.objects.filter(user=user, course=course).values_list("lesson_id", flat=True))


def prerequisites_live(*, course: CoursePage) -> list[CoursePage]:
    """The course's published prerequisites by title. Reads through the in-memory relation so
    an editor's preview shows the prerequisites being edited."""
    return sorted((c for c in course.prerequisites.all() if c.live), key=lambda c: c.title)


def missing_prerequisites(*, user: User, course: CoursePage) -> list[CoursePage]:
    """Live prerequisite courses of `course` the user has not completed, in title order."""
    required = prerequisites_live(course=course)
    done = course_completed_ids(user=user, course_ids=[c.pk for c in required])
    return [c for c in required if c.pk not in done]


def resume_lesson(*, user: User, course: CoursePage, lessons: list[LessonPage]) -> LessonPage | None:
    """Where the learner should continue: the first published lesson they have not completed,
    else the last one they opened, else the first lesson."""
    if not lessons:
        return None
    done = completed_lesson_ids(user=user, course=course)
    for lesson in lessons:
        if lesson.pk not in done:
            return lesson
    return lessons[0]


def my_learning(*, user: User) -> dict:
    """The user's courses split into in progress / enrolled / completed, with progress counts,
    and the learning paths that contain any of their courses. A fixed number of queries."""
    enrolments = list(
        Enrolment.objects.filter(user=user, course__live=True)
        .select_related("course", "last_lesson")
        .order_by("-last_activity_at")
    )
    course_ids = [e.course_id for e in enrolments]
    done_counts = dict(
        LessonProgress.objects.filter(user=user, course_id__in=course_ids, lesson__live=True)
        .values("course_id")
        .annotate(n=Count("pk"))
        .values_list("course_id", "n")
    )
    totals = {
        c.pk: c.lesson_count
        for c in CoursePage.objects.filter(pk__in=course_ids).annotate(lesson_count=_lesson_count()).only("pk")
    }
    groups: dict[str, list] = {IN_PROGRESS: [], ENROLLED: [], COMPLETED: []}
    for enrolment in enrolments:
        total = totals.get(enrolment.course_id, 0)
        done = min(done_counts.get(enrolment.course_id, 0), total)
        enrolment.lessons_total = total
        enrolment.lessons_done = done
        enrolment.percent = 100 if enrolment.is_completed else (round(100 * done / total) if total else 0)
        if enrolment.is_completed:
            groups[COMPLETED].append(enrolment)
        elif done or enrolment.last_lesson_id:
            groups[IN_PROGRESS].append(enrolment)
        else:
            groups[ENROLLED].append(enrolment)
    completed = {e.course_id for e in groups[COMPLETED]}
    live_steps = LearningPathCourse.objects.filter(course__live=True).order_by("sort_order")
    paths = list(
        learning_paths_live()
        .filter(path_courses__course_id__in=course_ids)
        .distinct()
        .prefetch_related(Prefetch("path_courses", queryset=live_steps))
        .order_by("title")
    )
    for path in paths:
        steps = list(path.path_courses.all())
        path.steps_total = len(steps)
        path.steps_done = sum(1 for step in steps if step.course_id in completed)
        path.is_completed = path.steps_total > 0 and path.steps_done == path.steps_total
    return {
        "in_progress": groups[IN_PROGRESS],
        "enrolled": groups[ENROLLED],
        "completed": groups[COMPLETED],
        "paths": paths,
    }


def course_statuses_for_users(*, user_ids: Iterable[int], course_ids: Iterable[int]) -> dict[tuple[int, int], str]:
    """`{(user_id, course_id): "enrolled" | "in_progress" | "completed"}` for several learners'
    enrolments at once (a partner admin's team view), in one query."""
    user_ids, course_ids = list(user_ids), list(course_ids)
    if not user_ids or not course_ids:
        return {}
    # An enrolment in a translation of a requested course stands for that course, as in
    # `course_completed_ids`; of several, the furthest one.
    requested = CoursePage.objects.filter(pk__in=course_ids)
    rows = (
        Enrolment.objects.filter(
            user_id__in=user_ids, course__translation_key__in=Subquery(requested.values("translation_key"))
        )
        .annotate(
            requested_id=Subquery(
                requested.filter(translation_key=OuterRef("course__translation_key")).order_by("pk").values("pk")[:1]
            )
        )
        .values_list("user_id", "requested_id", "completed_at", "last_lesson_id")
    )
    rank = {ENROLLED: 0, IN_PROGRESS: 1, COMPLETED: 2}
    statuses: dict[tuple[int, int], str] = {}
    for user_id, course_id, completed_at, last_lesson_id in rows:
        status = COMPLETED if completed_at else IN_PROGRESS if last_lesson_id else ENROLLED
        if rank[status] >= rank[statuses.get((user_id, course_id), ENROLLED)]:
            statuses[(user_id, course_id)] = status
    return statuses


def academy_learning_figures(*, academy: AcademyPage | None, since: datetime) -> dict[str, int]:
    """A vendor's academy at a glance, in two queries: live courses, and among their enrolments
    the learners active since `since` and the completions since then."""
    if academy is None:
        return {"courses": 0, "enrolments": 0, "active_learners": 0, "completions": 0}
    courses = CoursePage.objects.live().descendant_of(academy)
    enrolments = Enrolment.objects.filter(course__in=courses.values("pk")).aggregate(
        enrolments=Count("pk"),
        active_learners=Count("user", distinct=True, filter=Q(last_activity_at__gte=since)),
        completions=Count("pk", filter=Q(completed_at__gte=since)),
    )
    return {"courses": courses.count(), **enrolments}
