"""What vendors publish: a certification page under the vendor's academy. What it shows comes
from certifications.page_context, imported when the page is served: it reads these models through
the selectors, so importing it here at load time would be circular."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from community.models import BasePage


class CertificationPageForm(WagtailAdminPageForm):
    """The vendor is the academy's: it is taken from the parent page, never typed in, so pages,
    question pools and exam statistics agree on who owns a certification. Only that vendor's
    products are offered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vendor_id = self._vendor_id()
        if vendor_id is not None and "products" in self.fields:
            field = self.fields["products"]
            field.queryset = field.queryset.filter(vendor_id=vendor_id)
            field.widget = forms.CheckboxSelectMultiple(choices=field.choices)

    def _vendor_id(self) -> int | None:
        parent = getattr(self, "parent_page", None)
        if parent is None:
            return self.instance.vendor_id if self.instance.pk else None
        return getattr(parent.specific, "vendor_id", None)

    def clean(self):
        cleaned = super().clean()
        vendor_id = self._vendor_id()
        if vendor_id is not None:
            self.instance.vendor_id = vendor_id
        self._clean_version(cleaned, vendor_id)
        return cleaned

    def _clean_version(self, cleaned, vendor_id) -> None:
        """A new version replaces one other certification of the same vendor, with the last day
        the old one counts; never itself, nor a version of its own."""
        old, until = cleaned.get("supersedes"), cleaned.get("supersedes_counts_until")
        if old is None:
            if until:
                self.add_error("supersedes", _("Choose the certification this version replaces."))
            return
        old = old.specific
        if until is None:
            self.add_error("supersedes_counts_until", _("Give the last day the old version counts."))
        if self.instance.pk and old.pk == self.instance.pk:
            self.add_error("supersedes", _("A certification cannot replace itself."))
        elif old.vendor_id != vendor_id:
            self.add_error("supersedes", _("Choose one of this vendor's certifications."))
        elif self.instance.pk and old.supersedes_id == self.instance.pk:
            self.add_error("supersedes", _("That certification is already a newer version of this one."))


class CertificationPage(BasePage):
    """A certification: what it covers, the products it unlocks, the courses to complete before the
    exam, and how long a certificate stays valid. Its exam is an `Exam` pointing here."""

    vendor = models.ForeignKey(
        "community.Vendor", on_delete=models.PROTECT, related_name="certifications", editable=False
    )
    summary = models.TextField(_("summary"), max_length=400)
    description = RichTextField(_("description"), blank=True)
    syllabus = RichTextField(_("syllabus"), blank=True)
    products = ParentalManyToManyField(
        "community.Product", blank=True, related_name="certifications", verbose_name=_("products it unlocks")
    )
    validity_months = models.PositiveSmallIntegerField(_("validity in months"), default=24)
    renewal_window_days = models.PositiveSmallIntegerField(
        _("renewal window in days"), default=90, help_text=_("How many days before expiry renewal opens.")
    )
    # A new version of a certification (for a product's new release) names the one it replaces
    # and the last day the old one counts towards delivery rights; once this page is published,
    # old certificates stay valid as records but say "superseded".
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
        verbose_name=_("replaces"),
        help_text=_("The certification this one replaces, for a product's new release."),
    )
    supersedes_counts_until = models.DateField(
        _("old version counts until"),
        null=True,
        blank=True,
        help_text=_("The last day the old version's certificates count towards delivery rights."),
    )

    base_form_class = CertificationPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("syllabus"),
        FieldPanel("products"),
        FieldRowPanel([FieldPanel("validity_months"), FieldPanel("renewal_window_days")]),
        MultiFieldPanel(
            [
                PageChooserPanel("supersedes", page_type="certifications.CertificationPage"),
                FieldPanel("supersedes_counts_until"),
            ],
            heading=_("Version"),
        ),
        InlinePanel("required_courses", label=_("Courses to complete before the exam")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("syllabus")]
    parent_page_types = ["courses.AcademyPage"]
    subpage_types: list[str] = []
    template = "certifications/certification_page.html"

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def get_context(self, request, *args, **kwargs):
        from certifications import page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(page_context.certification(request=request, page=self))
        return context


class CertificationRequiredCourse(Orderable):
    certification = ParentalKey(CertificationPage, on_delete=models.CASCADE, related_name="required_courses")
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )

    panels = [PageChooserPanel("course", page_type="courses.CoursePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("required course")
        constraints = [models.UniqueConstraint(fields=["certification", "course"], name="certification_course_once")]


def successor_annotations(outer: str = "pk") -> dict:
    """`successor_title` and `successor_until`: the title of the published version that
    supersedes the certification whose id is at `outer`, and the last day the old one counts;
    None when there is none. Read in the same query as what they annotate."""
    newer = CertificationPage.objects.filter(supersedes=models.OuterRef(outer), live=True)
    return {
        "successor_title": models.Subquery(newer.values("title")[:1]),
        "successor_until": models.Subquery(newer.values("supersedes_counts_until")[:1]),
    }
