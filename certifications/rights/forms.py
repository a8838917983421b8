"""Forms of the programme's delivery-rights pages: asking who was authorised on a date."""

from datetime import date

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from community.models import Product, Region


class AuthorisedOnForm(forms.Form):
    """A product of the vendor's (by slug), a region or any, and a day from the first recorded
    right to today."""

    product = forms.ChoiceField(label=_("Product"))
    region = forms.ChoiceField(label=_("Region"), required=False, choices=[("", _("Any region")), *Region.choices])
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, products: list[Product], today: date, starts: date | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.products = {product.slug: product for product in products}
        self.fields["product"].choices = [(product.slug, product.name) for product in products]
        self.today, self.starts = today, starts

    def clean_day(self) -> date:
        day = self.cleaned_data["day"]
        if day > self.today:
            raise forms.ValidationError(_("Choose a day up to today."))
        if self.starts is None:
            raise forms.ValidationError(_("No delivery right has been recorded yet."))
        if day < self.starts:
            raise forms.ValidationError(
                _("Delivery rights are recorded from %(starts)s; choose a day from then on.")
                % {"starts": date_format(self.starts, "DATE_FORMAT")}
            )
        return day

    def clean_product(self) -> Product:
        return self.products[self.cleaned_data["product"]]
