"""What candidates do: attempts with their frozen draw and answers, accommodations and the audit
trail of staff decisions. Written only through `certifications.exams.services`."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExamAttempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        GRADED = "graded", _("Graded")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    exam = models.ForeignKey("certifications.Exam", on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_attempts")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(_("started"))
    deadline_at = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("submitted at the deadline"), default=False)
    extra_minutes = models.PositiveSmallIntegerField(_("extra minutes"), default=0)
    pass_mark_percent = models.PositiveSmallIntegerField(_("pass mark (%)"))
    score_percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    section_scores = models.JSONField(_("section scores"), default=list, blank=True)
    reveal_answers = models.BooleanField(default=False)
    reopened_at = models.DateTimeField(
        _("reopened"),
        null=True,
        blank=True,
        help_text=_("Set when staff reopen it: the candidate continues it and it is graded once more."),
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("exam attempt")
        verbose_name_plural = _("exam attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "user"], condition=Q(status="in_progress"), name="attempt_one_in_progress"
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(submitted_at__isnull=False, passed__isnull=False),
                name="attempt_graded_has_result",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "exam", "started_at"], name="attempt_user_exam_started"),
            models.Index(fields=["status", "deadline_at"], name="attempt_status_deadline"),
            # Attempts per exam, counted from the index alone: all of them for the exam results,
            # the last 30 days' for the programme dashboard.
            models.Index(fields=["exam", "submitted_at", "passed"], name="attempt_exam_submitted"),
        ]

    def __str__(self):
        return f"{self.user} · {self.exam_id} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def in_progress(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @property
    def time_left_when_ended(self) -> timedelta | None:
        """What remained of a graded attempt's time when it ended: what a reopening gives back.
        Its deadline and submission fix it (an attempt graded at time-out is submitted at its
        deadline), so it is not stored twice."""
        if self.submitted_at is None:
            return None
        return max(timedelta(0), self.deadline_at - self.submitted_at)

    @property
    def minutes_left_when_ended(self) -> int | None:
        left = self.time_left_when_ended
        return None if left is None else int(left.total_seconds() // 60)


class AttemptQuestion(models.Model):
    """One drawn question as the candidate saw it: text, options in their shown order and which of
    them were correct, copied at start. `options` is `[{"text": ..., "correct": bool}, ...]`;
    `selected` lists indexes into it. `points` (0 to 1) is set by grading."""

    attempt = models.ForeignKey(ExamAttempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(
        "certifications.Question", null=True, on_delete=models.SET_NULL, related_name="attempt_copies"
    )
    section_index = models.PositiveSmallIntegerField()
    section_title = models.CharField(max_length=120)
    section_weight = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=16)
    scoring = models.CharField(max_length=16)
    text = models.TextField()
    explanation = models.TextField(blank=True)
    options = models.JSONField()
    # The question's translations as they were at start: `{"zh-hans": {"text": ..., "explanation":
    # ..., "options": [texts in the shown order]}}`; options keep their indexes in every language.
    translations = models.JSONField(default=dict, blank=True)
    selected = models.JSONField(default=list, blank=True)
    flagged = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    points = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="attempt_question_position")]

    def __str__(self):
        return f"{self.attempt_id} #{self.position}"

    def shown_in(self, language: str) -> "ShownQuestion":
        """The question as a candidate reading `language` sees it: its frozen translation,
        the original text wherever there is none. Options keep their order and indexes."""
        frozen = (self.translations or {}).get(language) or {}
        texts = frozen.get("options") or []
        return ShownQuestion(
            text=frozen.get("text") or self.text,
            explanation=frozen.get("explanation") or self.explanation,
            options=[
                {**option, "text": (texts[i] if i < len(texts) else "") or option["text"]}
                for i, option in enumerate(self.options)
            ],
        )


@dataclass(frozen=True)
class ShownQuestion:
    text: str
    explanation: str
    # As `AttemptQuestion.options` (`text`, `correct`, and `fraction`, `feedback` where set); a page
    # shown before grading passes on the texts only.
    options: list[dict]


class Accommodation(models.Model):
    """Extra time and/or extra attempts staff grant a candidate for their next attempt; the attempt
    that uses it is stored so it applies once."""

    exam = models.ForeignKey("certifications.Exam", on_delete=models.CASCADE, related_name="accommodations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    extra_minutes = models.PositiveSmallIntegerField(_("extra minutes"), default=0)
    extra_attempts = models.PositiveSmallIntegerField(_("extra attempts"), default=0)
    note = models.TextField(_("note"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(_("granted"))
    used_by = models.ForeignKey(ExamAttempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodations")

    def __str__(self):
        return f"{self.user} +{self.extra_minutes} min +{self.extra_attempts}"


class ExamAuditEvent(models.Model):
    class Kind(models.TextChoices):
        ACCOMMODATION = "accommodation", _("Accommodation granted")
        REOPEN = "reopen", _("Attempt reopened")

    exam = models.ForeignKey("certifications.Exam", on_delete=models.CASCADE, related_name="audit_events")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    attempt = models.ForeignKey(ExamAttempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    note = models.TextField()
    # What the event changed, kept for the audit trail: for a reopening, the result and the time
    # left that the attempt had when it ended, and its new deadline.
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.candidate}"
