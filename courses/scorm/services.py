"""Writes for SCORM lessons: storing a checked package, and committing a learner's CMI data,
which completes the lesson through `courses.services.lesson_complete` like a native lesson."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import User
from courses import services as course_services
from courses.models import Enrolment, LessonPage, ScormAttempt, ScormPackage
from courses.scorm.cmi import cmi_outcome
from courses.scorm.package import Inspected, package_extract


def scorm_package_create(*, upload, inspected: Inspected, user: User | None) -> ScormPackage:
    """Extract an upload that `package_inspect` accepted and record it. The files are written
    first under a fresh random key; the row follows, so a failed extraction stores nothing."""
    key = package_extract(upload)
    return ScormPackage.objects.create(
        key=key,
        title=inspected.title[:255],
        version=inspected.version,
        launch=inspected.launch,
        file_name=(getattr(upload, "name", "") or "")[:255],
        file_count=inspected.file_count,
        unpacked_bytes=inspected.unpacked_bytes,
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )


@transaction.atomic
def scorm_attempt_commit(*, user: User, lesson: LessonPage, cmi: dict) -> ScormAttempt:
    """Store the CMI data the package reported for `user` (one row per learner and lesson,
    replaced on each commit) and complete the lesson once it reports completed or passed (and
    not failed). Completion is never undone by a later commit. Refuses (ValidationError) a
    lesson without a package or data with an unknown status."""
    package = lesson.scorm_package
    if package is None:
        raise ValidationError(_("This lesson has no SCORM package."), code="no_package")
    if not Enrolment.objects.filter(user=user, course_id=lesson.get_parent().pk).exists():
        raise ValidationError(_("Enrol in the course before completing its lessons."), code="not_enrolled")
    outcome = cmi_outcome(version=package.version, cmi=cmi)
    attempt, _created = ScormAttempt.objects.update_or_create(
        user=user,
        lesson=lesson,
        defaults={
            "package": package,
            "cmi": cmi,
            "completion_status": outcome.completion_status,
            "success_status": outcome.success_status,
            "score": outcome.score,
            "updated_at": timezone.now(),
        },
    )
    if outcome.completes_lesson:
        course_services.lesson_complete(user=user, lesson=lesson)
    return attempt
