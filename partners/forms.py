"""The partner directory's search and filter form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import Product, Region
from partners.models import PartnerTier


class _TierField(forms.ChoiceField):
    """Offers the tiers by id, and leaves any other value (a slug) to `clean_tier`."""

    def valid_value(self, value):
        return True


class DirectoryFilterForm(forms.Form):
    """Text, product (by slug), region (by code) and tier (by id, or by slug: every vendor's tier of
    that slug). An unknown product, region or tier is reported on its field and left out of the
    search; the other filters still apply."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    product = forms.ChoiceField(label=_("Product"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False, choices=[("", _("All regions")), *Region.choices])
    tier = _TierField(label=_("Partner tier"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("", _("Name")), ("trust", _("Customer satisfaction"))],
    )

    def __init__(self, *args, products: list[Product], tiers: list[PartnerTier], **kwargs):
        super().__init__(*args, **kwargs)
        self.products = {p.slug: p for p in products}
        self.tiers = tiers
        tier_choices: dict[str, list] = {}
        for t in tiers:
            tier_choices.setdefault(t.vendor.name, []).append((str(t.pk), t.name))
        self.fields["tier"].choices = [("", _("All tiers")), *tier_choices.items()]
        choices: dict[str, list] = {}
        for p in products:
            choices.setdefault(p.vendor.name, []).append((p.slug, p.name))
        self.fields["product"].choices = [("", _("All products")), *choices.items()]
        self.fields["product"].error_messages["invalid_choice"] = _("There is no product “%(value)s” in the directory.")
        self.fields["region"].error_messages["invalid_choice"] = _("There is no region “%(value)s”.")
        self.fields["q"].widget.attrs.update(placeholder=_("Name, city or description"), type="search")

    def clean_tier(self) -> list[int]:
        value = (self.cleaned_data.get("tier") or "").strip()
        if not value:
            return []
        ids = [t.pk for t in self.tiers if str(t.pk) == value or t.slug.lower() == value.lower()]
        if not ids:
            raise forms.ValidationError(
                _("There is no tier “%(value)s”."), params={"value": value}, code="invalid_choice"
            )
        return ids

    def filters(self) -> dict:
        """The valid filters as keyword arguments for `directory_search`."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "text": (data.get("q") or "").strip(),
            "product": self.products.get(data.get("product") or ""),
            "region": data.get("region") or "",
            "tiers": data.get("tier") or [],
            "sort": data.get("sort") or "",
        }
