"""The partner directory's search and filter form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import Product, Region


class DirectoryFilterForm(forms.Form):
    """Text, product (by slug) and region (by code). An unknown product or region is reported on
    its field and left out of the search; the other filters still apply."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    product = forms.ChoiceField(label=_("Product"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False, choices=[("", _("All regions")), *Region.choices])
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("", _("Name")), ("trust", _("Customer satisfaction"))],
    )

    def __init__(self, *args, products: list[Product], **kwargs):
        super().__init__(*args, **kwargs)
        self.products = {p.slug: p for p in products}
        choices: dict[str, list] = {}
        for p in products:
            choices.setdefault(p.vendor.name, []).append((p.slug, p.name))
        self.fields["product"].choices = [("", _("All products")), *choices.items()]
        self.fields["product"].error_messages["invalid_choice"] = _("There is no product “%(value)s” in the directory.")
        self.fields["region"].error_messages["invalid_choice"] = _("There is no region “%(value)s”.")
        self.fields["q"].widget.attrs.update(placeholder=_("Name, city or description"), type="search")

    def filters(self) -> dict:
        """The valid filters as keyword arguments for `directory_search`."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "text": (data.get("q") or "").strip(),
            "product": self.products.get(data.get("product") or ""),
            "region": data.get("region") or "",
            "sort": data.get("sort") or "",
        }
