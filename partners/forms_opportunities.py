from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import Product, Region
from partners.models import Opportunity


class OpportunityForm(forms.Form):
    customer_company = forms.CharField(label=_("Customer company"), max_length=160)
    customer_domain = forms.CharField(
        label=_("Customer e-mail domain"),
        max_length=254,
        help_text=_("Such as customer.example, or a contact's address there: it identifies the customer."),
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Products"),
        queryset=Product.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one product.")},
        help_text=_("Only products your company holds a delivery right to."),
    )
    expected_value = forms.DecimalField(label=_("Expected value (USD)"), min_value=0, max_digits=12, decimal_places=2)
    close_date = forms.DateField(label=_("Expected close date"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        label=_("Evidence"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "How you found the customer and what you did so far; the vendor reads it if another partner "
            "claims the customer."
        ),
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = products
        self.fields["products"].label_from_instance = lambda p: f"{p.vendor.name} · {p.name}"


class VendorFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any state")), *Opportunity.State.choices]
    )
    region = forms.ChoiceField(
        label=_("Partner's region"), required=False, choices=[("", _("Any region")), *Region.choices]
    )
    product = forms.ChoiceField(label=_("Product"), required=False)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", _("Any product")), *((p.slug, p.name) for p in products)]


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the partner"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject; both partners of a conflict read it."),
    )
