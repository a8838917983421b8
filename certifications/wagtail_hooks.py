"""The Certification exams menu in the Wagtail admin: question pools, questions with inline
options, exam blueprints, and the results view (attempts, statistics, accommodations, reopening,
imports and exports); and the programme's own menus. Vendor staff (authors) see and change only
their own vendors' question banks and exams; results, certificates, certificate templates,
delivery-right rules and the programme dashboard are for the vendor's programme managers."""

from django import forms
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.site_summary import SummaryItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from certifications import admin_urls, question_formats
from certifications.certificate_template_admin import CertificateTemplateViewSet
from certifications.dashboard_selectors import partners_in_grace_count
from certifications.models import CertificateTemplate, Exam, Question, QuestionPool
from certifications.rights_admin import DeliveryRuleViewSet
from community.admin_scoping import ScopedDeleteView, ScopedEditView, ScopedSnippetChooserViewSet
from community.selectors import vendors_for_managers, vendors_for_staff


def _staff_vendor_ids(user) -> frozenset[int]:
    """The person's vendors, read once per user object (that is, per request): listings ask about
    every row, and each of the staff menu items asks again."""
    cached = user.__dict__.get("_staff_vendor_ids")
    if cached is None:
        cached = user.__dict__["_staff_vendor_ids"] = frozenset(
            vendors_for_staff(user=user).values_list("pk", flat=True)
        )
    return cached


def _managed_vendor_ids(user) -> frozenset[int]:
    """The vendors whose programme the person manages, read once per user object like
    `_staff_vendor_ids`."""
    cached = user.__dict__.get("_managed_vendor_ids")
    if cached is None:
        cached = user.__dict__["_managed_vendor_ids"] = frozenset(
            vendors_for_managers(user=user).values_list("pk", flat=True)
        )
    return cached


class VendorOwnedPolicy(ModelPermissionPolicy):
    """Anyone on a vendor's staff may manage that vendor's items (only its programme managers,
    with `managers_only`), and only those: listing, opening by URL and choosing are all narrowed
    to those vendors."""

    def __init__(self, model, vendor_path: str, *, managers_only: bool = False):
        super().__init__(model)
        self.vendor_path = vendor_path
        self.managers_only = managers_only

    def _vendor_id(self, instance) -> int | None:
        *path, last = self.vendor_path.split("__")
        value = instance
        for part in path:
            value = getattr(value, part, None)
            if value is None:
                return None
        return getattr(value, f"{last}_id", None)

    def _vendor_ids(self, user) -> frozenset[int]:
        return _managed_vendor_ids(user) if self.managers_only else _staff_vendor_ids(user)

    def user_has_permission(self, user, action):
        return user.is_active and (user.is_superuser or bool(self._vendor_ids(user)))

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def user_has_permission_for_instance(self, user, action, instance):
        if not user.is_active:
            return False
        return user.is_superuser or self._vendor_id(instance) in self._vendor_ids(user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_permission_for_instance(user, None, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not user.is_active:
            return self.model.objects.none()
        if user.is_superuser:
            return self.model.objects.all()
        return self.model.objects.filter(**{f"{self.vendor_path}__in": self._vendor_ids(user)})


register_permission_policy(QuestionPool, VendorOwnedPolicy(QuestionPool, "vendor"))
register_permission_policy(Question, VendorOwnedPolicy(Question, "pool__vendor"))
register_permission_policy(Exam, VendorOwnedPolicy(Exam, "certification__vendor"))
register_permission_policy(CertificateTemplate, VendorOwnedPolicy(CertificateTemplate, "vendor", managers_only=True))


class _ScopedForm(WagtailAdminModelForm):
    """Offers only the signed-in person's vendors (and what belongs to them) in choice fields."""

    scoped: dict[str, str] = {}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None:
            return
        vendors = vendors_for_staff(user=for_user)
        for name, vendor_path in self.scoped.items():
            if name in self.fields:
                field = self.fields[name]
                field.widget = forms.Select()
                field.queryset = field.queryset.model.objects.filter(**{f"{vendor_path}__in": vendors})
        pools = QuestionPool.objects.filter(vendor__in=vendors)
        for formset in self.formsets.values():
            if "pool" not in formset.form.base_fields:
                continue
            for form in formset.forms:
                _offer_pools(form, pools)
            formset.form = type("ScopedSectionForm", (formset.form,), {"__init__": _pools_init(formset.form, pools)})


def _offer_pools(form, pools) -> None:
    """A plain select of the person's vendors' pools (the snippet chooser would list every pool)."""
    form.fields["pool"].widget = forms.Select()
    form.fields["pool"].queryset = pools


def _pools_init(base, pools):
    """`__init__` for the section forms a formset builds later (new rows), scoped like the others."""

    def __init__(self, *args, **kwargs):
        base.__init__(self, *args, **kwargs)
        _offer_pools(self, pools)

    return __init__


class QuestionPoolForm(_ScopedForm):
    scoped = {"vendor": "pk"}


class QuestionForm(_ScopedForm):
    scoped = {"pool": "vendor"}

    def clean(self):
        cleaned = super().clean()
        options_formset = self.formsets.get("options")
        if options_formset is None or not options_formset.is_valid():
            return cleaned
        options = [
            question_formats.OptionData(
                form.cleaned_data.get("text", ""),
                bool(form.cleaned_data.get("is_correct")),
                form.cleaned_data.get("fraction"),
                form.cleaned_data.get("feedback") or "",
            )
            for form in options_formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        data = question_formats.QuestionData(
            kind=cleaned.get("kind") or "",
            scoring=cleaned.get("scoring") or "",
            text=cleaned.get("text") or "",
            options=options,
            section_tag=cleaned.get("section_tag") or "",
        )
        for problem in question_formats.question_problems(data):
            self.add_error(None, problem[:1].upper() + problem[1:] + ".")
        self._check_translations(option_count=len(options))
        return cleaned

    def _check_translations(self, *, option_count: int) -> None:
        """Each translation names every option, one line each, so each option has its text."""
        translations = self.formsets.get("translations")
        if translations is None or not translations.is_valid():
            return
        for form in translations.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            lines = [line for line in (data.get("option_texts") or "").splitlines() if line.strip()]
            if len(lines) != option_count:
                form.add_error(
                    "option_texts",
                    _("Write one line for each of the %(count)s options, in their order.") % {"count": option_count},
                )


class ExamForm(_ScopedForm):
    scoped = {"certification": "vendor"}

    def clean(self):
        cleaned = super().clean()
        sections = self.formsets.get("sections")
        if sections is not None and sections.is_valid():
            live = [f for f in sections.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            if not live:
                self.add_error(None, _("Add at least one section."))
            for form in live:
                pool, count = form.cleaned_data.get("pool"), form.cleaned_data.get("question_count") or 0
                tag = form.cleaned_data.get("section_tag") or ""
                if pool is None:
                    continue
                available = pool.questions.filter(active=True)
                if tag:
                    available = available.filter(section_tag=tag)
                if available.count() < count:
                    form.add_error(
                        "question_count",
                        _("The pool has only %(n)d questions in use for this section.") % {"n": available.count()},
                    )
        return cleaned


class QuestionPoolViewSet(SnippetViewSet):
    chooser_viewset_class = ScopedSnippetChooserViewSet
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    model = QuestionPool
    icon = "folder-open-inverse"
    menu_label = _("Question pools")
    list_display = ["name", "vendor"]
    list_filter = ["vendor"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [FieldPanel("vendor"), FieldPanel("name"), FieldPanel("description")], base_form_class=QuestionPoolForm
    )

    def get_queryset(self, request):
        return QuestionPool.objects.filter(vendor__in=vendors_for_staff(user=request.user)).select_related("vendor")


class QuestionViewSet(SnippetViewSet):
    chooser_viewset_class = ScopedSnippetChooserViewSet
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["text", "pool", "kind", "section_tag", "active"]
    list_filter = ["pool", "kind", "section_tag", "active"]
    search_fields = ["text"]
    edit_handler = ObjectList(
        [
            FieldPanel("pool"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("scoring")]),
            FieldPanel("text"),
            InlinePanel("options", label=_("Options"), min_num=2),
            FieldPanel("explanation"),
            FieldRowPanel([FieldPanel("section_tag"), FieldPanel("active")]),
            FieldPanel("tags"),
            InlinePanel("translations", label=_("Translations")),
        ],
        base_form_class=QuestionForm,
    )

    def get_queryset(self, request):
        return Question.objects.filter(pool__vendor__in=vendors_for_staff(user=request.user)).select_related("pool")


class ExamViewSet(SnippetViewSet):
    chooser_viewset_class = ScopedSnippetChooserViewSet
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    model = Exam
    icon = "clipboard-list"
    menu_label = _("Exams")
    list_display = ["__str__", "time_limit_minutes", "pass_mark_percent", "is_open"]
    edit_handler = ObjectList(
        [
            FieldPanel("certification"),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("pass_mark_percent")]),
                    FieldRowPanel(
                        [
                            FieldPanel("attempts_allowed"),
                            FieldPanel("attempt_window_days"),
                            FieldPanel("cooldown_hours"),
                        ]
                    ),
                    FieldRowPanel(
                        [FieldPanel("shuffle_questions"), FieldPanel("shuffle_options"), FieldPanel("reveal_answers")]
                    ),
                    FieldPanel("is_open"),
                ],
                heading=_("Rules"),
            ),
            InlinePanel("sections", label=_("Sections"), min_num=1),
        ],
        base_form_class=ExamForm,
    )

    def get_queryset(self, request):
        return Exam.objects.filter(certification__vendor__in=vendors_for_staff(user=request.user)).select_related(
            "certification"
        )


class CertificationExamsGroup(SnippetViewSetGroup):
    menu_label = _("Certification exams")
    menu_icon = "clipboard-list"
    menu_order = 250
    items = (QuestionPoolViewSet, QuestionViewSet, ExamViewSet)


register_snippet(CertificationExamsGroup)
register_snippet(CertificateTemplateViewSet)
register_snippet(DeliveryRuleViewSet)


@hooks.register("register_admin_urls")
def register_exam_admin_urls():
    return [path("exams/", include((admin_urls.urlpatterns, "certifications_admin"), namespace="certifications_admin"))]


class _StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(_staff_vendor_ids(request.user))


class _ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(_managed_vendor_ids(request.user))


@hooks.register("register_admin_menu_item")
def register_exam_results_menu_item():
    return _StaffMenuItem(
        _("Exam results"), reverse("certifications_admin:index"), icon_name="doc-full-inverse", order=260
    )


@hooks.register("register_admin_urls")
def register_certificate_admin_urls():
    from certifications import certificate_admin

    return [
        path(
            "certificates/",
            include((certificate_admin.urlpatterns, "certificates_admin"), namespace="certificates_admin"),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return _ManagerMenuItem(_("Certificates"), reverse("certificates_admin:index"), icon_name="tick-inverse", order=265)


@hooks.register("register_admin_urls")
def register_programme_dashboard_url():
    from certifications import dashboard_views

    return [path("programme/", dashboard_views.programme, name="programme_dashboard")]


@hooks.register("register_admin_menu_item")
def register_programme_dashboard_menu_item():
    return _ManagerMenuItem(_("Programme dashboard"), reverse("programme_dashboard"), icon_name="view", order=255)


class ProgrammeSummaryItem(SummaryItem):
    """The admin home page's way to the programme dashboard, with the partners who need attention."""

    order = 150
    template_name = "certifications/admin/programme_summary_item.html"

    def is_shown(self):
        return bool(_managed_vendor_ids(self.request.user))

    def get_context_data(self, parent_context):
        return {
            "url": reverse("programme_dashboard"),
            "in_grace": partners_in_grace_count(vendor_ids=_managed_vendor_ids(self.request.user)),
        }


@hooks.register("construct_homepage_summary_items")
def add_programme_summary_item(request, items):
    items.append(ProgrammeSummaryItem(request))
