"""Course pages' context and the learner's actions (enrol, complete a lesson, My learning).
Views parse input, call one service or selector, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from courses import selectors, services
from courses.catalogue_cache import catalogue_results
from courses.forms import CatalogueFilterForm
from courses.models import AcademyPage, CatalogPage, CoursePage, Enrolment, LearningPathPage, LessonPage

CATALOGUE_PAGE_SIZE = 12
CATALOGUE_PATHS = 6


def _is_editor(request: HttpRequest, page: Page) -> bool:
    user = request.user
    return user.is_authenticated and page.permissions_for_user(user).can_edit()


def _cards(*, request: HttpRequest, courses: list[CoursePage], academies: list[AcademyPage]) -> list[dict]:
    """What each course card needs: the course, its academy (vendor; from `academies` when it is
    one of them) and the learner's status."""
    by_path = selectors.academy_by_path(courses=courses, known=academies)
    statuses = selectors.course_statuses(user=request.user, course_ids=[c.pk for c in courses])
    return [{"course": c, "academy": by_path.get(c.path), "status": statuses.get(c.pk)} for c in courses]


def catalogue_context(*, request: HttpRequest, catalogue: CatalogPage) -> dict:
    """The filter form, and the results: for signed-out visitors from catalogue_cache when it has
    them, rendered once and stored when it has not."""
    choices = selectors.catalogue_filters()
    form = CatalogueFilterForm(request.GET or None, vendors=choices["vendors"], products=choices["products"])
    filters = form.filters()
    context = {"form": form, "filtering": any(filters.values()), "academy_list": choices["vendors"]}
    if request.user.is_authenticated:
        return context | _catalogue_results(request=request, filters=filters, academies=choices["academies"])

    def render_results() -> str:
        results = _catalogue_results(request=request, filters=filters, academies=choices["academies"])
        return render_to_string("courses/includes/catalogue_results.html", context | results, request=request)

    return context | {"results_html": catalogue_results.get_or_render(request=request, render=render_results)}


def _catalogue_results(*, request: HttpRequest, filters: dict, academies: list[AcademyPage]) -> dict:
    """One page of matching course cards, and the first learning paths on an unfiltered first page."""
    paginator = Paginator(selectors.catalogue_search(**filters), CATALOGUE_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    courses = list(page_obj.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": page_obj,
        "cards": _cards(request=request, courses=courses, academies=academies),
        "paths": list(
            selectors.learning_path_cards(paths=selectors.learning_paths_live().order_by("path"))[:CATALOGUE_PATHS]
        )
        if not any(filters.values()) and page_obj.number == 1
        else [],
        "querystring": query.urlencode(),
    }


def academy_context(*, request: HttpRequest, academy: AcademyPage) -> dict:
    courses = list(selectors.course_cards(courses=selectors.courses_live().child_of(academy).order_by("path")))
    statuses = selectors.course_statuses(user=request.user, course_ids=[c.pk for c in courses])
    return {
        "cards": [{"course": c, "academy": academy, "status": statuses.get(c.pk)} for c in courses],
        "paths": list(
            selectors.learning_path_cards(paths=selectors.learning_paths_live().child_of(academy).order_by("path"))
        ),
    }


def course_context(*, request: HttpRequest, course: CoursePage) -> dict:
    lessons = list(selectors.lessons_live_of(course=course))
    enrolment = selectors.enrolment_for(user=request.user, course=course)
    done = selectors.completed_lesson_ids(user=request.user, course=course) if enrolment else set()
    missing = (
        selectors.missing_prerequisites(user=request.user, course=course)
        if request.user.is_authenticated and enrolment is None
        else []
    )
    done_live = sum(1 for lesson in lessons if lesson.pk in done)
    return {
        "academy": selectors.academy_of(page=course),
        "lessons": lessons,
        "enrolment": enrolment,
        "done_ids": done,
        "lessons_done": done_live,
        "percent": (100 if enrolment and enrolment.is_completed else round(100 * done_live / len(lessons)))
        if enrolment and lessons
        else 0,
        "resume": selectors.resume_lesson(user=request.user, course=course, lessons=lessons) if enrolment else None,
        "prerequisites": selectors.prerequisites_live(course=course),
        "missing_prerequisites": missing,
        "products": sorted(course.products.all(), key=lambda p: p.name),
    }


def lesson_gate(*, request: HttpRequest, lesson: LessonPage) -> HttpResponse | dict:
    """Who may read a lesson: signed-in learners enrolled in its course (the visit is recorded)
    and editors of the page; others get the response that sends them to sign in, or to the
    course overview to enrol. A reader gets the `course` and `enrolment` read on the way, for
    the page to reuse. Enrolment is asked first: most readers are learners, and asking whether
    someone is an editor costs two queries."""
    if getattr(request, "is_preview", False):
        return {}
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    course = selectors.course_of(lesson=lesson)
    enrolment = selectors.enrolment_for(user=request.user, course=course)
    if enrolment is not None:
        services.lesson_visit(enrolment=enrolment, lesson=lesson)
    elif not _is_editor(request, lesson):
        messages.info(request, _("Enrol in %(course)s to open its lessons.") % {"course": course.title})
        return redirect(course.get_url(request))
    return {"course": course, "enrolment": enrolment}


def lesson_context(
    *, request: HttpRequest, lesson: LessonPage, course: CoursePage | None = None, enrolment: Enrolment | None = None
) -> dict:
    """What the lesson page shows; `course` and `enrolment` are read here unless the gate has
    (an editor's preview comes without them)."""
    if course is None:
        course = selectors.course_of(lesson=lesson)
        enrolment = selectors.enrolment_for(user=request.user, course=course)
    lessons = list(selectors.lessons_live_of(course=course))
    position = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), None)
    done = selectors.completed_lesson_ids(user=request.user, course=course) if enrolment else set()
    return {
        "course": course,
        "lessons": lessons,
        "done_ids": done,
        "enrolment": enrolment,
        "position": (position + 1) if position is not None else None,
        "previous_lesson": lessons[position - 1] if position else None,
        "next_lesson": lessons[position + 1] if position is not None and position + 1 < len(lessons) else None,
        "lesson_done": lesson.pk in done,
    }


def learning_path_context(*, request: HttpRequest, path: LearningPathPage) -> dict:
    steps = [step for step in path.path_courses.select_related("course").order_by("sort_order") if step.course.live]
    completed = selectors.course_completed_ids(user=request.user, course_ids=[s.course_id for s in steps])
    statuses = selectors.course_statuses(user=request.user, course_ids=[s.course_id for s in steps])
    for step in steps:
        step.status = statuses.get(step.course_id)
    return {
        "steps": steps,
        "steps_done": len(completed),
        "academy": selectors.academy_of(page=path),
    }


@require_POST
def course_enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    if not request.user.is_authenticated:
        return redirect_to_login(course.get_url(request))
    try:
        services.course_enrol(user=request.user, course=course)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(course.get_url(request))
    messages.success(request, _("You are enrolled in %(course)s.") % {"course": course.title})
    lessons = list(selectors.lessons_live_of(course=course)[:1])
    return redirect(lessons[0].get_url(request) if lessons else course.get_url(request))


@require_POST
@login_required
def lesson_complete(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        enrolment = services.lesson_complete(user=request.user, lesson=lesson)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(lesson.get_parent().get_url(request))
    if enrolment.is_completed and request.POST.get("last") == "1":
        messages.success(request, _("Course completed: %(course)s.") % {"course": enrolment.course.title})
        return redirect(enrolment.course.get_url(request))
    following = lesson.get_next_siblings().live().type(LessonPage).first()
    if following is not None:
        return redirect(following.get_url(request))
    if enrolment.is_completed:
        messages.success(request, _("Course completed: %(course)s.") % {"course": enrolment.course.title})
    else:
        messages.info(request, _("Lesson completed. Some lessons of this course are still open."))
    return redirect(enrolment.course.get_url(request))


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    return render(request, "courses/my_learning.html", selectors.my_learning(user=request.user))
