"""The content origin's two views (the launcher that hosts the SCORM API, and the package's
files) and the site's CMI commit endpoint. See courses.scorm.access for why they are split."""

import json
import mimetypes

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_POST

from courses import selectors
from courses.models import LessonPage
from courses.scorm import access
from courses.scorm.package import safe_member_name, storage_path
from courses.scorm.services import scorm_attempt_commit


def _isolate(response: HttpResponse, *, frame_ancestors: str) -> HttpResponse:
    """Who may frame the response, and no Referer: the token in the path must not travel."""
    response["Content-Security-Policy"] = f"frame-ancestors {frame_ancestors}"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, max-age=600"
    return response


@xframe_options_exempt
@require_GET
def launcher(request: HttpRequest, token: str) -> HttpResponse:
    if not access.is_content_request(request):
        raise Http404
    granted = access.grant_check(token)
    if granted is None:
        raise Http404
    package = granted.package
    context = {
        "package": package,
        "site_origin": granted.grant.site_origin,
        "launch_url": reverse("scorm:file", kwargs={"token": token, "name": package.launch.split("?", 1)[0]})
        + (f"?{package.launch.split('?', 1)[1]}" if "?" in package.launch else ""),
        "runtime": "vendor/scorm-again/scorm12.min.js"
        if package.version == "1.2"
        else "vendor/scorm-again/scorm2004.min.js",
    }
    response = render(request, "courses/scorm/launcher.html", context)
    return _isolate(response, frame_ancestors=granted.grant.site_origin)


@xframe_options_exempt
@require_GET
def package_file(request: HttpRequest, token: str, name: str) -> HttpResponse:
    if not access.is_content_request(request):
        raise Http404
    granted = access.grant_check(token)
    member = safe_member_name(name)
    if granted is None or member is None:
        raise Http404
    path = storage_path(granted.package.key, member)
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(member)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    # frame-ancestors covers every ancestor: the launcher (this origin) and the lesson page.
    return _isolate(response, frame_ancestors=f"'self' {granted.grant.site_origin}")


@require_POST
@login_required
def cmi_commit(request: HttpRequest, lesson_id: int) -> JsonResponse:
    """Store what the package reported (JSON `{"cmi": {...}}`, CSRF-protected) and say whether
    the lesson and course are now complete."""
    if len(request.body) > settings.SCORM_MAX_CMI_BYTES:
        return JsonResponse({"error": _("The run-time data is too large.")}, status=413)
    lesson = get_object_or_404(LessonPage.objects.live().select_related("scorm_package"), pk=lesson_id)
    try:
        cmi = json.loads(request.body).get("cmi")
    except (ValueError, AttributeError):
        cmi = None
    if not isinstance(cmi, dict):
        return JsonResponse({"error": _('Send the run-time data as JSON: {"cmi": {…}}.')}, status=400)
    try:
        attempt = scorm_attempt_commit(user=request.user, lesson=lesson, cmi=cmi)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    course = selectors.course_of(lesson=lesson)
    enrolment = selectors.enrolment_for(user=request.user, course=course)
    return JsonResponse(
        {
            "completion_status": attempt.completion_status,
            "success_status": attempt.success_status,
            "lesson_done": lesson.pk in selectors.completed_lesson_ids(user=request.user, course=course),
            "course_done": bool(enrolment and enrolment.is_completed),
        }
    )
