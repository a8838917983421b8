"""What the course pages show, and who may read a lesson: called by the page models in
courses/models/pages.py when Wagtail serves them."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses import selectors, services
from courses.catalogue_cache import catalogue_results
from courses.forms import CatalogueFilterForm
from courses.models import AcademyPage, CatalogPage, CoursePage, Enrolment, LearningPathPage, LessonPage, ScormAttempt
from courses.scorm import access
from courses.scorm.cmi import cmi_for_resume

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


def catalogue(*, request: HttpRequest, page: CatalogPage) -> dict:
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


def academy(*, request: HttpRequest, page: AcademyPage) -> dict:
    courses = list(selectors.course_cards(courses=selectors.courses_live().child_of(page).order_by("path")))
    statuses = selectors.course_statuses(user=request.user, course_ids=[c.pk for c in courses])
    return {
        "cards": [{"course": c, "academy": page, "status": statuses.get(c.pk)} for c in courses],
        "paths": list(
            selectors.learning_path_cards(paths=selectors.learning_paths_live().child_of(page).order_by("path"))
        ),
    }


def course(*, request: HttpRequest, page: CoursePage) -> dict:
    lessons = list(selectors.lessons_live_of(course=page))
    enrolment = selectors.enrolment_for(user=request.user, course=page)
    done = selectors.completed_lesson_ids(user=request.user, course=page) if enrolment else set()
    missing = (
        selectors.missing_prerequisites(user=request.user, course=page)
        if request.user.is_authenticated and enrolment is None
        else []
    )
    done_live = sum(1 for lesson in lessons if lesson.pk in done)
    return {
        "academy": selectors.academy_of(page=page),
        "lessons": lessons,
        "enrolment": enrolment,
        "done_ids": done,
        "lessons_done": done_live,
        "percent": (100 if enrolment and enrolment.is_completed else round(100 * done_live / len(lessons)))
        if enrolment and lessons
        else 0,
        "resume": selectors.resume_lesson(user=request.user, course=page, lessons=lessons) if enrolment else None,
        "prerequisites": selectors.prerequisites_live(course=page),
        "missing_prerequisites": missing,
        "products": sorted(page.products.all(), key=lambda p: p.name),
    }


def lesson_gate(*, request: HttpRequest, page: LessonPage) -> HttpResponse | dict:
    """Who may read a lesson: signed-in learners enrolled in its course (the visit is recorded)
    and editors of the page; others get the response that sends them to sign in, or to the
    course overview to enrol. A reader gets the `course` and `enrolment` read on the way, for
    the page to reuse. Enrolment is asked first: most readers are learners, and asking whether
    someone is an editor costs two queries."""
    if getattr(request, "is_preview", False):
        return {}
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    course = selectors.course_of(lesson=page)
    enrolment = selectors.enrolment_for(user=request.user, course=course)
    if enrolment is not None:
        services.lesson_visit(enrolment=enrolment, lesson=page)
    elif not _is_editor(request, page):
        messages.info(request, _("Enrol in %(course)s to open its lessons.") % {"course": course.title})
        return redirect(course.get_url(request))
    return {"course": course, "enrolment": enrolment}


def lesson(
    *, request: HttpRequest, page: LessonPage, course: CoursePage | None = None, enrolment: Enrolment | None = None
) -> dict:
    """What the lesson page shows; `course` and `enrolment` are read here unless the gate has
    (an editor's preview comes without them)."""
    if course is None:
        course = selectors.course_of(lesson=page)
        enrolment = selectors.enrolment_for(user=request.user, course=course)
    lessons = list(selectors.lessons_live_of(course=course))
    position = next((i for i, item in enumerate(lessons) if item.pk == page.pk), None)
    done = selectors.completed_lesson_ids(user=request.user, course=course) if enrolment else set()
    return {
        "course": course,
        "lessons": lessons,
        "done_ids": done,
        "enrolment": enrolment,
        "position": (position + 1) if position is not None else None,
        "previous_lesson": lessons[position - 1] if position else None,
        "next_lesson": lessons[position + 1] if position is not None and position + 1 < len(lessons) else None,
        "lesson_done": page.pk in done,
        "scorm": _scorm(request=request, page=page, course=course, enrolment=enrolment),
    }


def _scorm(*, request: HttpRequest, page: LessonPage, course: CoursePage, enrolment: Enrolment | None) -> dict | None:
    """The launcher's address (a signed grant on the content origin) and the learner's stored
    CMI data to resume from; None for a native lesson. Editors get a preview that stores nothing."""
    package = page.scorm_package if page.scorm_package_id else None
    if package is None:
        return None
    if not access.content_origin() or getattr(request, "is_preview", False):
        return {"package": package, "launcher_url": ""}
    site_origin = request.build_absolute_uri("/").rstrip("/")
    grant = access.Grant(
        user_id=request.user.pk,
        course_id=course.pk if enrolment is not None else None,
        package_id=package.pk,
        site_origin=site_origin,
    )
    token = access.grant_token(grant=grant)
    stored = {}
    if enrolment is not None:
        attempt = ScormAttempt.objects.filter(user=request.user, lesson=page, package=package).only("cmi").first()
        stored = attempt.cmi if attempt is not None else {}
    return {
        "package": package,
        "launcher_url": access.content_origin() + reverse("scorm:launcher", kwargs={"token": token}),
        "config": {
            "contentOrigin": access.content_origin(),
            "commitUrl": reverse("courses:scorm_commit", kwargs={"lesson_id": page.pk}) if enrolment else "",
            "cmi": cmi_for_resume(version=package.version, cmi=stored),
        },
    }


def learning_path(*, request: HttpRequest, page: LearningPathPage) -> dict:
    steps = [step for step in page.path_courses.select_related("course").order_by("sort_order") if step.course.live]
    completed = selectors.course_completed_ids(user=request.user, course_ids=[s.course_id for s in steps])
    statuses = selectors.course_statuses(user=request.user, course_ids=[s.course_id for s in steps])
    for step in steps:
        step.status = statuses.get(step.course_id)
    return {
        "steps": steps,
        "steps_done": len(completed),
        "academy": selectors.academy_of(page=page),
    }
