from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from courses.models import CourseLevel


class CatalogueFilterForm(forms.Form):
    """The catalogue's GET filters. Choices come from the live vendors and products, so a stale
    or hand-edited value shows as an error next to the field instead of an empty page."""

    q = forms.CharField(required=False, max_length=120, label=_("Search"))
    vendor = forms.ChoiceField(required=False, label=_("Vendor"))
    product = forms.ChoiceField(required=False, label=_("Product"))
    level = forms.ChoiceField(required=False, label=_("Level"), choices=[("", _("All levels")), *CourseLevel.choices])
    language = forms.ChoiceField(
        required=False, label=_("Language"), choices=[("", _("All languages")), *settings.LANGUAGES]
    )

    def __init__(self, *args, vendors, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].choices = [("", _("All vendors"))] + [(v.slug, v.name) for v in vendors]
        self.fields["product"].choices = [("", _("All products"))] + [(p.slug, p.name) for p in products]

    def filters(self) -> dict:
        data = {}
        if self.is_bound:
            self.is_valid()
            # Fields that failed validation are left out; the form shows their errors.
            data = self.cleaned_data
        return {
            "query": (data.get("q") or "").strip(),
            "vendor_slug": data.get("vendor") or "",
            "product_slug": data.get("product") or "",
            "level": data.get("level") or "",
            "language": data.get("language") or "",
        }
