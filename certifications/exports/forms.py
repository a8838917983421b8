"""The request for a bulk ZIP of certificate PDFs: a certification, a partner or issue dates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from certifications.models import CertificationPage
from community.models import PartnerOrganisation


class CertificateArchiveForm(forms.Form):
    certification = forms.ModelChoiceField(
        label=_("Certification"), queryset=CertificationPage.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=PartnerOrganisation.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        widget=forms.TextInput(attrs={"placeholder": _("partner slug")}),
        error_messages={"invalid_choice": _("No partner has this slug.")},
    )
    issued_from = forms.DateField(
        label=_("Issued from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    issued_to = forms.DateField(label=_("Issued until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, vendor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certification"].queryset = CertificationPage.objects.filter(vendor=vendor).order_by("title")

    def clean(self):
        data = super().clean()
        if not any(data.get(k) for k in ("certification", "organisation", "issued_from", "issued_to")):
            raise forms.ValidationError(_("Choose a certification, a partner or issue dates."))
        start, end = data.get("issued_from"), data.get("issued_to")
        if start and end and start > end:
            self.add_error("issued_to", _("The end comes before the start."))
        return data
