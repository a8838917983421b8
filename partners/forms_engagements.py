"""The customer's survey, the partner's reply to a comment and the filters of the vendor's answers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import Region


class SurveyForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the work?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1: not at all, 5: completely."),
        error_messages={"required": _("Choose how satisfied you are, from 1 to 5.")},
    )
    recommend = forms.TypedChoiceField(
        label=_("How likely are you to recommend this partner?"),
        choices=[(n, str(n)) for n in range(0, 11)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("0: not at all, 10: certainly."),
        error_messages={"required": _("Choose how likely you are to recommend them, from 0 to 10.")},
    )
    comment = forms.CharField(
        label=_("A comment (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown on the partner's public page; the partner may reply."),
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your public reply"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown under the comment on your public page. You can reply once."),
    )


class ResponseFilterForm(forms.Form):
    """Filters of the vendor's survey answers; a value not offered is an error on the form."""

    region = forms.ChoiceField(label=_("Partner's region"), required=False)
    product = forms.ChoiceField(label=_("Product"), required=False)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Any region")), *Region.choices]
        self.fields["product"].choices = [("", _("Any product")), *((p.slug, p.name) for p in products)]

    def filters(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
