"""The exam blueprint of a certification: timing, pass mark, limits and the sections that draw
questions from pools."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable


class Exam(ClusterableModel):
    certification = models.OneToOneField(
        "certifications.CertificationPage",
        on_delete=models.CASCADE,
        related_name="exam",
        verbose_name=_("certification"),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit in minutes"), default=60, validators=[MinValueValidator(1)]
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed per window"), default=3, validators=[MinValueValidator(1)]
    )
    attempt_window_days = models.PositiveSmallIntegerField(
        _("window in days"), default=30, validators=[MinValueValidator(1)], help_text=_("A rolling window.")
    )
    cooldown_hours = models.PositiveSmallIntegerField(_("cooldown after a failed attempt (hours)"), default=24)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    reveal_answers = models.BooleanField(_("reveal correct answers after grading"), default=False)
    is_open = models.BooleanField(_("open for attempts"), default=True)

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")

    def __str__(self):
        return str(self.certification.title) if self.certification_id else "—"

    @property
    def question_count(self) -> int:
        return sum(section.question_count for section in self.sections.all())


class ExamSection(Orderable):
    exam = ParentalKey(Exam, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=120)
    pool = models.ForeignKey(
        "certifications.QuestionPool", on_delete=models.PROTECT, related_name="sections", verbose_name=_("pool")
    )
    section_tag = models.CharField(
        _("section tag"), max_length=60, blank=True, help_text=_("Draw only questions with this tag (optional).")
    )
    question_count = models.PositiveSmallIntegerField(
        _("questions drawn"), default=10, validators=[MinValueValidator(1)]
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=[MinValueValidator(1)])

    class Meta(Orderable.Meta):
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.title
