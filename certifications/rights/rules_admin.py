"""Delivery-right rules in the Wagtail admin. A vendor's programme managers (not its authors)
set, for their own vendors' products only, which certifications count, how many engineers a
partner needs, the grace period and an optional per-engineer cap. Saves go through
`rights.delivery_rule_save`, which audits the change and recomputes the product's rights; the
edit form shows the change history. Rules are not deleted (a product's rights would be left
without the rule that explains them)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList, Panel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from certifications.models import CertificationPage, DeliveryRightRule
from certifications.rights import services as rights
from community.admin_scoping import ScopedEditView, VendorScopedPolicy
from community.models import Product
from community.selectors import vendors_for_managers

# A vendor's programme managers add and change the rules of that vendor's products, and only
# those (listing, opening by URL and choosing alike). Nobody deletes a rule.
POLICY = VendorScopedPolicy(DeliveryRightRule, "product__vendor", managers_only=True, actions=("add", "change", "view"))
register_permission_policy(DeliveryRightRule, POLICY)


class DeliveryRuleForm(WagtailAdminModelForm):
    """Offers only the person's vendors' products (those without a rule yet, on a new rule) and
    certifications, and checks the certifications belong to the product's vendor. The product of
    an existing rule is fixed."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        vendors = vendors_for_managers(user=for_user) if for_user is not None else None
        product = self.fields["product"]
        product.widget = forms.Select()
        products = Product.objects.select_related("vendor").order_by("vendor__name", "name")
        certifications = CertificationPage.objects.select_related("vendor").order_by("vendor__name", "title")
        if vendors is not None:
            products = products.filter(vendor__in=vendors)
            certifications = certifications.filter(vendor__in=vendors)
        if self.instance.pk:
            product.disabled = True
            certifications = certifications.filter(vendor_id=self.instance.product.vendor_id)
        else:
            products = products.filter(delivery_rule__isnull=True)
        product.queryset = products
        field = self.fields["certifications"]
        field.widget = forms.CheckboxSelectMultiple()
        field.label_from_instance = lambda c: f"{c.title} ({c.vendor.name})"
        field.queryset = certifications  # after the widget, which takes its choices from here
        field.help_text = _("An engineer counts while holding a valid certificate of any of these.")

    def clean(self):
        cleaned = super().clean()
        product, certifications = cleaned.get("product"), cleaned.get("certifications")
        if product is not None and certifications:
            foreign = [c.title for c in certifications if c.vendor_id != product.vendor_id]
            if foreign:
                self.add_error(
                    "certifications",
                    _("Only %(vendor)s certifications can count for %(product)s: %(titles)s.")
                    % {"vendor": product.vendor.name, "product": product.name, "titles": ", ".join(foreign)},
                )
        return cleaned


class RuleHistoryPanel(Panel):
    """The rule's change history (newest first), read-only, under the form."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "certifications/admin/rule_history_panel.html"

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["changes"] = [
                (change, _differences(change.before, change.after))
                for change in self.instance.changes.select_related("changed_by")[:50]
            ]
            return context


SNAPSHOT_LABELS = {
    "certification_titles": _("Certifications that count"),
    "min_engineers": _("Engineers needed"),
    "grace_days": _("Grace days"),
    "max_products_per_engineer": _("Products per engineer"),
}


def _shown(key: str, value) -> str:
    if key == "certification_titles":
        return ", ".join(value or []) or "—"
    if key == "max_products_per_engineer" and value is None:
        return str(_("no limit"))
    return str(value)


def _differences(before: dict | None, after: dict) -> list[tuple[str, str | None, str]]:
    """`(label, before, after)` for each field a change touched (every field for a new rule)."""
    rows = []
    for key, label in SNAPSHOT_LABELS.items():
        if before is None or before.get(key) != after.get(key):
            rows.append((label, None if before is None else _shown(key, before.get(key)), _shown(key, after.get(key))))
    return rows


class _SavedThroughService:
    def save_instance(self):
        rule = self.form.save(commit=False)
        return rights.delivery_rule_save(
            rule=rule, certifications=list(self.form.cleaned_data["certifications"]), changed_by=self.request.user
        )


class DeliveryRuleCreateView(_SavedThroughService, snippet_views.CreateView):
    pass


class DeliveryRuleEditView(_SavedThroughService, ScopedEditView):
    pass


class DeliveryRuleViewSet(SnippetViewSet):
    model = DeliveryRightRule
    permission_policy = POLICY
    icon = "tick-inverse"
    menu_label = _("Delivery-right rules")
    menu_order = 270
    add_to_admin_menu = True
    add_view_class = DeliveryRuleCreateView
    edit_view_class = DeliveryRuleEditView
    list_display = ["product", "min_engineers", "grace_days", "max_products_per_engineer", "updated_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("product"),
            FieldPanel("certifications"),
            FieldRowPanel(
                [FieldPanel("min_engineers"), FieldPanel("grace_days"), FieldPanel("max_products_per_engineer")]
            ),
            RuleHistoryPanel(heading=_("Change history")),
        ],
        base_form_class=DeliveryRuleForm,
    )

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_any_permission_for(request.user, ["change"]).select_related(
            "product__vendor"
        )
