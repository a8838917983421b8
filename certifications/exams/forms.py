"""Forms of the exam admin views. They only parse input; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from certifications.exams.formats import FORMATS, MAX_PACKAGE_BYTES
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
    format = forms.ChoiceField(label=_("Format"), choices=[(key, f.label) for key, f in FORMATS.items()])
    file = forms.FileField(label=_("File"), required=False)
    text = forms.CharField(label=_("Or paste the questions"), required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def clean(self):
        """`content` is what the chosen format reads: the file's bytes for a package, otherwise
        the uploaded file's text (put in the text box too, so a failed import keeps it) or the
        pasted text."""
        cleaned = super().clean()
        upload = cleaned.get("file")
        fmt = FORMATS.get(cleaned.get("format"))
        if fmt is None:
            return cleaned
        if fmt.binary:
            if not upload:
                raise forms.ValidationError(_("Upload the package (a .zip file)."))
            if upload.size > MAX_PACKAGE_BYTES:
                raise forms.ValidationError(
                    _("The package is larger than %(mb)d MB.") % {"mb": MAX_PACKAGE_BYTES // 2**20}
                )
            cleaned["content"] = upload.read()
            return cleaned
        if upload:
            try:
                cleaned["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from error
            self.data = self.data.copy()
            self.data["text"] = cleaned["text"]
        if not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(_("Upload a file or paste the questions."))
        cleaned["content"] = cleaned["text"]
        return cleaned
