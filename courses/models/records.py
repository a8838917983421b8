"""What learners do: enrolments and lesson progress. Plain models written only through
`courses.services`."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    """A learner in a course. `completed_at` is stored once every published lesson is done and
    is never cleared, so lessons added later do not take a finished course away."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="enrolments")
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    last_lesson = models.ForeignKey(
        "courses.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["-last_activity_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="enrolment_once_per_course")]
        indexes = [models.Index(fields=["course", "completed_at"], name="enrolment_course_completed")]

    def __str__(self):
        return f"{self.user} → {self.course_id}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class LessonProgress(models.Model):
    """A lesson a learner marked complete. `course` is kept beside `lesson` so a course's
    progress is one indexed query."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="progress")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("completed"), default=timezone.now)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="lesson_progress_once")]
        indexes = [models.Index(fields=["user", "course"], name="lesson_progress_user_course")]

    def __str__(self):
        return f"{self.user} ✓ {self.lesson_id}"


class ScormVersion(models.TextChoices):
    SCORM_12 = "1.2", "SCORM 1.2"
    SCORM_2004 = "2004", "SCORM 2004"


class ScormPackage(models.Model):
    """An uploaded SCORM zip, extracted to the default storage under `scorm/<key>/`. The key is
    random, so one package's address says nothing about another's. Written by
    `courses.scorm.services.scorm_package_create` only."""

    key = models.CharField(max_length=40, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255, blank=True)
    version = models.CharField(_("SCORM version"), max_length=8, choices=ScormVersion.choices)
    launch = models.CharField(_("launch file"), max_length=1000)
    file_name = models.CharField(_("uploaded file"), max_length=255, blank=True)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    unpacked_bytes = models.PositiveBigIntegerField(_("unpacked size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")

    def __str__(self):
        return self.title or self.file_name or self.key


class ScormAttempt(models.Model):
    """A learner's run-time data (CMI) for a SCORM lesson, as the package last committed it,
    with what it said about completion, success and score read out for progress."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scorm_attempts")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="scorm_attempts")
    package = models.ForeignKey(ScormPackage, on_delete=models.CASCADE, related_name="attempts")
    cmi = models.JSONField(default=dict)
    completion_status = models.CharField(max_length=20, blank=True)
    success_status = models.CharField(max_length=20, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="scorm_attempt_once_per_lesson")]

    def __str__(self):
        return f"{self.user} · {self.lesson_id} · {self.completion_status}"
