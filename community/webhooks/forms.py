"""The endpoint form: the vendor (one of the person's), the URL (checked against the address
guard), a description and at least one event type."""

from django import forms
from django.utils.translation import gettext_lazy as _

from community.webhooks.addresses import UnsafeAddress, target_resolve
from community.webhooks.events import EVENT_TYPES


class EndpointForm(forms.Form):
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None, empty_label=None)
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An https:// address on the public internet; redirects are not followed."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=list(EVENT_TYPES.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    def __init__(self, *args, vendors, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendors.order_by("name")
        if editing:
            # The vendor and the switch are not changed here: the endpoint's page enables it.
            del self.fields["vendor"], self.fields["enabled"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            target_resolve(url)
        except UnsafeAddress as error:
            raise forms.ValidationError(str(error)) from error
        return url
