"""Forms of the exam admin views. They only parse input; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from certifications.models import ExamAttempt


class AttemptFilterForm(forms.Form):
    RESULTS = [("", _("Any result")), ("passed", _("Passed")), ("failed", _("Failed")), ("reopened", _("Reopened"))]
    STATUSES = [("", _("Any status")), *ExamAttempt.Status.choices]

    q = forms.CharField(label=_("Candidate"), required=False)
    result = forms.ChoiceField(label=_("Result"), choices=RESULTS, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUSES, required=False)
    since = forms.DateField(
        label=_("Started on or after"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AccommodationForm(forms.Form):
    email = forms.EmailField(label=_("Candidate's e-mail"))
    extra_minutes = forms.IntegerField(label=_("Extra minutes"), min_value=0, max_value=600, initial=0)
    extra_attempts = forms.IntegerField(label=_("Extra attempts"), min_value=0, max_value=5, initial=0)
    note = forms.CharField(label=_("Note for the audit trail"), widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    note = forms.CharField(label=_("Why it is reopened"), widget=forms.Textarea(attrs={"rows": 2}))
    extra_minutes = forms.IntegerField(
        label=_("Extra minutes"),
        min_value=0,
        max_value=600,
        initial=0,
        required=False,
        help_text=_("Added to the time that remained when it ended."),
    )


class QuestionImportForm(forms.Form):
    FORMATS = [("csv", "CSV"), ("gift", "GIFT (Moodle)")]

    format = forms.ChoiceField(label=_("Format"), choices=FORMATS)
    file = forms.FileField(label=_("File"), required=False)
    text = forms.CharField(label=_("Or paste the questions"), required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            try:
                cleaned["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from error
        if not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(_("Upload a file or paste the questions."))
        return cleaned
