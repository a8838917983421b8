from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import DeclineReason


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you decline?"), choices=[("", _("Choose a reason")), *DeclineReason.choices]
    )
