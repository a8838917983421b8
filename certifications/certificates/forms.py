"""Forms of the certificate admin: filtering the vendor's certificates and revoking one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from certifications.models import Certificate, CertificationPage


class CertificateFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            ("valid", _("Valid")),
            ("expiring", _("Expiring within 60 days")),
            ("expired", _("Expired")),
            ("revoked", _("Revoked")),
        ],
    )
    certification = forms.ModelChoiceField(
        label=_("Certification"), required=False, queryset=CertificationPage.objects.none(), empty_label=_("All")
    )
    q = forms.CharField(label=_("Serial or name"), required=False, max_length=100)

    def __init__(self, *args, vendors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certification"].queryset = CertificationPage.objects.filter(vendor__in=vendors).order_by("title")

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        certification = data.get("certification")
        return {
            "status": data.get("status", ""),
            "certification_id": certification.pk if certification else None,
            "query": data.get("q", ""),
        }


class CertificateRevokeForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Certificate.RevocationReason.choices)
    note = forms.CharField(
        label=_("What happened"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kept in the certificate's audit record. The holder is told the reason, not this note."),
    )


class CertificateImportForm(forms.Form):
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("CSV file"))
    invite_new = forms.BooleanField(
        label=_("E-mail new accounts an invitation to choose a password"),
        required=False,
        help_text=_("Holders who already have an account are linked by e-mail address and not e-mailed."),
    )

    def __init__(self, *args, vendors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendors.order_by("name")
