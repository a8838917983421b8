"""The customer's request form: what they need, from which vendor's products, where, and
optionally which authorised partners they would like. A hidden `website` field is the honeypot:
people never see it, form-filling bots do."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from community.models import PartnerOrganisation, Product, Region
from partners.models import CompanySize


class CustomerRequestForm(forms.Form):
    products = forms.ModelMultipleChoiceField(
        label=_("Products"),
        queryset=Product.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one product.")},
    )
    region = forms.ChoiceField(label=_("Where the work is"), choices=[("", _("Choose a region")), *Region.choices])
    company = forms.CharField(label=_("Company"), max_length=160)
    company_size = forms.ChoiceField(label=_("Company size"), choices=[("", _("Choose a size")), *CompanySize.choices])
    contact_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("Work e-mail"),
        help_text=_("We send a confirmation link here; nothing is passed on before you click it."),
    )
    need = forms.CharField(
        label=_("What do you need?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The project, its size and any dates. Partners see this."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners you would like (optional)"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They are asked first, if they may deliver every product you chose in your region."),
    )
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args, products, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = products
        self.fields["partners"].queryset = partners
        self.fields["products"].label_from_instance = lambda p: f"{p.vendor.name} · {p.name}"

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_products(self):
        products = list(self.cleaned_data["products"])
        if len({p.vendor_id for p in products}) > 1:
            raise ValidationError(
                _("Ask about one vendor's products per request; send another request for the others.")
            )
        return products

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
