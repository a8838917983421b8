"""The learner's actions (enrol, complete a lesson, My learning); what the course pages show is
in courses.page_context. Views parse input, call one service or selector, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import selectors, services
from courses.models import CoursePage, LessonPage


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
