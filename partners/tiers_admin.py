"""Partner tiers in the Wagtail admin. A vendor's staff define its tiers, for their own vendors
only (listing, opening by URL and choosing alike). Saves go through `tiers.partner_tier_save`,
which checks the ladder (a better tier is never easier to reach), audits the change and
recomputes the vendor's partners; the edit form shows the change history. Tiers are not deleted:
partners' tier events name them."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from community.admin_scoping import ScopedEditView, ScopedSnippetChooserViewSet, VendorScopedPolicy
from community.selectors import vendors_for_staff
from partners import tiers
from partners.models import PartnerTier

POLICY = VendorScopedPolicy(PartnerTier, vendor_path="vendor", actions=("add", "change", "view"))
register_permission_policy(PartnerTier, POLICY)


class PartnerTierForm(WagtailAdminModelForm):
    """Offers only the person's vendors (preselected when there is one; fixed once saved), and
    reports a threshold that would make a better tier easier to reach on its field."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields["vendor"]
        field.widget = forms.Select()
        if self.instance.pk:
            field.disabled = True
            field.queryset = field.queryset.model.objects.filter(pk=self.instance.vendor_id)
        elif for_user is not None:
            vendors = vendors_for_staff(user=for_user).order_by("name")
            field.queryset = vendors
            if len(vendors) == 1:
                field.initial = vendors[0].pk

    def _post_clean(self):
        super()._post_clean()  # the instance now holds what was typed
        if self.errors or not self.instance.vendor_id:
            return
        for name, messages in tiers.tier_ladder_errors(tier=self.instance).items():
            for message in messages:
                self.add_error(name, message)


class TierHistoryPanel(Panel):
    """The tier's change history (newest first), read-only, under the form."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "partners/admin/tier_history_panel.html"

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
    "name": _("name"),
    "slug": _("slug"),
    "rank": _("rank"),
    "min_products": _("products with a delivery right"),
    "min_certified": _("certified engineers needed"),
    "min_satisfaction": _("minimum satisfaction"),
    "min_delivered": _("engagements delivered"),
    "grace_days": _("grace period in days"),
}


def _shown(value) -> str:
    return "—" if value is None else str(value)


def _differences(before: dict | None, after: dict) -> list[tuple[str, str | None, str]]:
    """`(label, before, after)` for each field a change touched (every field for a new tier)."""
    return [
        (label, None if before is None else _shown(before.get(key)), _shown(after.get(key)))
        for key, label in SNAPSHOT_LABELS.items()
        if before is None or before.get(key) != after.get(key)
    ]


class _SavedThroughService:
    def save_instance(self):
        return tiers.partner_tier_save(tier=self.form.save(commit=False), changed_by=self.request.user)


class PartnerTierCreateView(_SavedThroughService, snippet_views.CreateView):
    pass


class PartnerTierEditView(_SavedThroughService, ScopedEditView):
    pass


class PartnerTierViewSet(SnippetViewSet):
    model = PartnerTier
    permission_policy = POLICY
    chooser_viewset_class = ScopedSnippetChooserViewSet
    icon = "pick"
    menu_label = _("Partner tiers")
    menu_order = 275
    add_to_admin_menu = True
    add_view_class = PartnerTierCreateView
    edit_view_class = PartnerTierEditView
    list_display = ["name", "vendor", "rank", "min_products", "min_certified", "min_satisfaction", "min_delivered"]
    list_filter = ["vendor"]
    ordering = ["vendor__name", "rank"]
    edit_handler = ObjectList(
        [
            FieldPanel("vendor"),
            FieldRowPanel([FieldPanel("name"), FieldPanel("slug"), FieldPanel("rank")]),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("min_products"), FieldPanel("min_certified")]),
                    FieldRowPanel([FieldPanel("min_satisfaction"), FieldPanel("min_delivered")]),
                ],
                heading=_("What a partner needs"),
                help_text=_("A partner holds the highest tier whose every threshold it meets."),
            ),
            FieldPanel("grace_days"),
            TierHistoryPanel(heading=_("Change history")),
        ],
        base_form_class=PartnerTierForm,
    )

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_any_permission_for(request.user, ["change"]).select_related(
            "vendor"
        )
