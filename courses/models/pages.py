"""What vendors write and publish: the catalogue, one academy per vendor, courses with their
lessons, and learning paths. The tree is fixed by `parent_page_types` on each child type;
AcademyPage leaves `subpage_types` open so later apps (certifications) can hang pages under it.
What each page shows comes from courses.page_context, imported when a page is served: it reads
these models through the selectors, so importing it here at load time would be circular."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from community.blocks import BaseStreamBlock
from community.models import BasePage, Product
from courses.blocks import LessonStreamBlock


class CourseLevel(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    ASSOCIATE = "associate", _("Associate")
    PROFESSIONAL = "professional", _("Professional")
    EXPERT = "expert", _("Expert")


class CatalogPage(BasePage):
    """The course catalogue at /courses/: filters, search and pagination over every live course."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["community.HomePage"]
    subpage_types = ["courses.AcademyPage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from courses import page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(page_context.catalogue(request=request, page=self))
        return context


class AcademyPage(BasePage):
    """A vendor's academy. Its subtree carries the vendor groups' page permissions and the
    course review workflow (see `courses.services.academy_create`)."""

    vendor = models.ForeignKey(
        "community.Vendor", on_delete=models.PROTECT, related_name="academies", verbose_name=_("vendor")
    )
    intro = models.TextField(_("introduction"), blank=True)

    # Only administrators move an academy to another vendor: its permissions follow the vendor.
    content_panels = [*Page.content_panels, FieldPanel("vendor", permission="superuser"), FieldPanel("intro")]
    parent_page_types = ["courses.CatalogPage"]

    class Meta:
        verbose_name = _("vendor academy")
        verbose_name_plural = _("vendor academies")

    def clean(self):
        """One academy per vendor in each language (its translations hold the translated
        courses). The locale lives in Wagtail's page table, out of reach of a constraint here."""
        super().clean()
        others = AcademyPage.objects.filter(vendor_id=self.vendor_id, locale_id=self.locale_id).exclude(pk=self.pk)
        if self.vendor_id and others.exists():
            raise ValidationError({"vendor": _("This vendor already has an academy in this language.")})

    def get_context(self, request, *args, **kwargs):
        from courses import page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(page_context.academy(request=request, page=self))
        return context


class CoursePageForm(WagtailAdminPageForm):
    """A course can only list products of its own academy's vendor, and only other courses of
    the same academy as prerequisites (the choices also bound what a submitted form may hold)."""

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        academy = parent_page.specific if parent_page is not None else None
        if not isinstance(academy, AcademyPage):
            return
        if "products" in self.fields:
            self.fields["products"].queryset = Product.objects.filter(vendor_id=academy.vendor_id).order_by("name")
        if "prerequisites" in self.fields:
            field = self.fields["prerequisites"]
            courses = field.queryset.model.objects.child_of(academy).order_by("title")
            field.queryset = courses.exclude(pk=self.instance.pk) if self.instance.pk else courses


class CoursePage(BasePage):
    summary = models.TextField(_("summary"), max_length=400)
    products = ParentalManyToManyField(
        "community.Product", blank=True, related_name="courses", verbose_name=_("products")
    )
    level = models.CharField(_("level"), max_length=20, choices=CourseLevel.choices, default=CourseLevel.FOUNDATION)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    duration_minutes = models.PositiveIntegerField(
        _("estimated duration (minutes)"), default=60, help_text=_("How long the course takes, labs included.")
    )
    prerequisites = ParentalManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_by", verbose_name=_("prerequisite courses")
    )
    learning_outcomes = models.TextField(
        _("learning outcomes"), blank=True, help_text=_("One outcome per line: what a learner can do afterwards.")
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    overview = StreamField(BaseStreamBlock(), blank=True, use_json_field=True, verbose_name=_("overview"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("products"),
                FieldRowPanel([FieldPanel("level"), FieldPanel("language"), FieldPanel("duration_minutes")]),
                FieldPanel("prerequisites"),
            ],
            heading=_("Course facts"),
        ),
        FieldPanel("learning_outcomes"),
        FieldPanel("cover_image"),
        FieldPanel("overview"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
        index.SearchField("overview"),
        index.FilterField("level"),
        index.FilterField("language"),
    ]
    base_form_class = CoursePageForm
    parent_page_types = ["courses.AcademyPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    @property
    def outcomes(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        from courses import page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(page_context.course(request=request, page=self))
        return context


class LessonPageForm(WagtailAdminPageForm):
    """A lesson may carry a SCORM package: a zip uploaded here is checked in full (see
    courses.scorm.package) before the page saves, and stored only once the form is valid."""

    scorm_upload = forms.FileField(
        label=_("SCORM package (zip)"),
        required=False,
        help_text=_(
            "A SCORM 1.2 or SCORM 2004 zip exported from your authoring tool. Uploading replaces the current package."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_scorm_upload(self):
        from courses.scorm.package import package_inspect

        upload = self.cleaned_data.get("scorm_upload")
        if upload:
            self.scorm_inspected = package_inspect(upload)
        return upload

    def save(self, commit=True):
        from courses.scorm.services import scorm_package_create

        upload = self.cleaned_data.get("scorm_upload")
        if upload:
            self.instance.scorm_package = scorm_package_create(
                upload=upload, inspected=self.scorm_inspected, user=getattr(self, "for_user", None)
            )
        return super().save(commit=commit)


class LessonPage(BasePage):
    """One lesson. Served only to signed-in learners enrolled in its course (and to editors).
    With a SCORM package, the page launches it above the body and the package's reported
    status completes the lesson (courses.scorm)."""

    duration_minutes = models.PositiveIntegerField(_("estimated duration (minutes)"), default=15)
    body = StreamField(LessonStreamBlock(), blank=True, use_json_field=True, verbose_name=_("body"))
    scorm_package = models.ForeignKey(
        "courses.ScormPackage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
        verbose_name=_("SCORM package"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("duration_minutes"),
        MultiFieldPanel(
            [FieldPanel("scorm_package", read_only=True), FieldPanel("scorm_upload")], heading=_("SCORM package")
        ),
        FieldPanel("body"),
    ]
    base_form_class = LessonPageForm
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def serve(self, request, *args, **kwargs):
        from django.http import HttpResponse

        from courses import page_context

        admitted = page_context.lesson_gate(request=request, page=self)
        if isinstance(admitted, HttpResponse):
            return admitted
        # What the gate read (course, enrolment) reaches get_context, which need not read it again.
        return super().serve(request, *args, **admitted, **kwargs)

    def get_context(self, request, *args, course=None, enrolment=None, **kwargs):
        from courses import page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(page_context.lesson(request=request, page=self, course=course, enrolment=enrolment))
        return context


class LearningPathPage(BasePage):
    """An ordered list of courses, usually leading to a certification."""

    summary = models.TextField(_("summary"), max_length=400)
    level = models.CharField(_("level"), max_length=20, choices=CourseLevel.choices, default=CourseLevel.ASSOCIATE)
    goal_label = models.CharField(
        _("goal"), max_length=160, blank=True, help_text=_("What the path leads to, e.g. a certification.")
    )
    goal_url = models.CharField(
        _("goal link"),
        max_length=300,
        blank=True,
        validators=[
            RegexValidator(r"^(https?://|/)", _("Enter a site path such as /certifications/… or a web address."))
        ],
    )
    body = RichTextField(_("description"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("level"),
        FieldRowPanel([FieldPanel("goal_label"), FieldPanel("goal_url")]),
        FieldPanel("body"),
        InlinePanel("path_courses", label=_("Courses, in order"), min_num=1),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.AcademyPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")

    def get_context(self, request, *args, **kwargs):
        from courses import page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(page_context.learning_path(request=request, page=self))
        return context


class LearningPathCourse(Orderable):
    path = ParentalKey(LearningPathPage, on_delete=models.CASCADE, related_name="path_courses")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("course"))

    panels = [PageChooserPanel("course", page_type="courses.CoursePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("course in path")
        constraints = [models.UniqueConstraint(fields=["path", "course"], name="learning_path_course_once")]
