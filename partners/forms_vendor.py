"""The vendor side's forms: the named-account CSV upload and the request-list filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import Region
from partners.models import CustomerRequest

IMPORT_MAX_BYTES = 2 * 1024 * 1024


class NamedAccountImportForm(forms.Form):
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: company, domains (separated by spaces or semicolons), account manager name, "
            "account manager e-mail. The first row names the columns."
        ),
    )

    def __init__(self, *args, vendors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendors.order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; split it into several files."))
        try:
            self.cleaned_data["text"] = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("The file is not UTF-8 text; save it as “CSV UTF-8” and upload it again.")
            ) from error
        return upload


class VendorRequestFilterForm(forms.Form):
    """Filters of the vendor's request list; a value that is not offered is an error shown on
    the form, and the list is then not filtered by it."""

    vendor = forms.ChoiceField(label=_("Vendor"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    product = forms.ChoiceField(label=_("Product"), required=False)

    def __init__(self, *args, vendors, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].choices = [("", _("All your vendors")), *((v.slug, v.name) for v in vendors)]
        self.fields["state"].choices = [("", _("Any state")), *CustomerRequest.State.choices]
        self.fields["region"].choices = [("", _("Any region")), *Region.choices]
        self.fields["product"].choices = [("", _("Any product")), *((p.slug, p.name) for p in products)]
        if len(vendors) < 2:
            del self.fields["vendor"]

    def filters(self) -> dict[str, str]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}
