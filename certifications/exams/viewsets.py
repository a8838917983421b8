"""The Certification exams menu of the Wagtail admin: question pools, questions with inline
options and translations, and exam blueprints. Vendor staff see, choose and change only their own
vendors' rows (`community.admin_scoping`); forms offer only those vendors' pools and
certifications, and check a question or an exam as a whole before it is saved."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from certifications.exams import question_formats
from certifications.models import Exam, Question, QuestionPool
from community.admin_scoping import ScopedDeleteView, ScopedEditView, ScopedSnippetChooserViewSet
from community.selectors import vendors_for_staff


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
