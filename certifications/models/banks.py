"""Question banks: per-vendor pools of questions with their options. Authors edit them freely;
attempts copy what they show at start (see `AttemptQuestion`), so edits never reach an attempt."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from community.models.translated_text import other_languages


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")


class Scoring(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    PARTIAL = "partial", _("Partial credit")
    WEIGHTED = "weighted", _("By option weights")


class QuestionPool(models.Model):
    vendor = models.ForeignKey(
        "community.Vendor", on_delete=models.PROTECT, related_name="question_pools", verbose_name=_("vendor")
    )
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["vendor__name", "name"]
        verbose_name = _("question pool")
        verbose_name_plural = _("question pools")
        constraints = [models.UniqueConstraint(fields=["vendor", "name"], name="question_pool_name_per_vendor")]

    def __str__(self):
        return self.name


class Question(ClusterableModel):
    pool = models.ForeignKey(QuestionPool, on_delete=models.CASCADE, related_name="questions", verbose_name=_("pool"))
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    scoring = models.CharField(
        _("scoring"),
        max_length=16,
        choices=Scoring.choices,
        default=Scoring.ALL_OR_NOTHING,
        help_text=_(
            "For multiple choice: all or nothing, or a share of the marks per correct choice. By option "
            "weights: each option's weight is its share of the marks, as in Moodle (the chosen weights "
            "add up, between 0 and 100%)."
        ),
    )
    text = models.TextField(_("question"))
    explanation = models.TextField(_("explanation"), blank=True)
    section_tag = models.CharField(_("section tag"), max_length=60, blank=True, db_index=True)
    tags = ClusterTaggableManager(_("tags"), through="certifications.QuestionTag", blank=True)
    active = models.BooleanField(_("in use"), default=True, help_text=_("Only questions in use are drawn."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["pool", "section_tag", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text[:80]


class QuestionTag(TaggedItemBase):
    """Authors' labels on questions (Moodle's question tags), for finding them in the bank."""

    content_object = ParentalKey(Question, on_delete=models.CASCADE, related_name="tagged_items")


class Option(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("option"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    # Moodle's answer fraction (-1 to 1), the exact share of the marks; only with weighted scoring.
    fraction = models.DecimalField(
        _("weight"),
        max_digits=8,
        decimal_places=7,
        null=True,
        blank=True,
        help_text=_("With weighted scoring: the option's share of the marks, from -1 to 1 (0.5 is half)."),
    )
    feedback = models.TextField(
        _("feedback"), blank=True, help_text=_("Shown with this option when the candidate reviews a graded attempt.")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return self.text


class QuestionTranslation(models.Model):
    """A question in another language: its text, explanation and option texts, one line per
    option in the options' order. The options themselves (and which are correct) are the
    question's own, so a candidate is graded the same in every language."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=other_languages)
    text = models.TextField(_("question"))
    explanation = models.TextField(_("explanation"), blank=True)
    option_texts = models.TextField(
        _("options"), help_text=_("One line per option, in the order of the options above.")
    )

    panels = [FieldPanel("language"), FieldPanel("text"), FieldPanel("option_texts"), FieldPanel("explanation")]

    class Meta:
        verbose_name = _("question translation")
        verbose_name_plural = _("question translations")
        constraints = [
            models.UniqueConstraint(fields=["question", "language"], name="question_translation_once_per_language")
        ]

    def __str__(self):
        return f"{self.question_id} ({self.language})"

    @property
    def option_lines(self) -> list[str]:
        return [line.strip() for line in self.option_texts.splitlines() if line.strip()]
