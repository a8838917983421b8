"""The Marketplace area of the Wagtail admin: a vendor's named accounts and marketplace settings,
for its programme managers and for those vendors only (listing, opening by URL and choosing
alike). A named account's vendor is fixed once saved, so its domains never change vendor."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from community.admin_scoping import (
    ScopedDeleteView,
    ScopedEditView,
    ScopedSnippetChooserViewSet,
    VendorScopedPolicy,
)
from community.selectors import vendors_for_managers
from partners import named_accounts
from partners.models import NamedAccount, VendorMarketplace

NAMED_ACCOUNTS = VendorScopedPolicy(NamedAccount, vendor_path="vendor", managers_only=True)
SETTINGS = VendorScopedPolicy(
    VendorMarketplace, vendor_path="vendor", managers_only=True, actions=("add", "change", "view")
)
register_permission_policy(NamedAccount, NAMED_ACCOUNTS)
register_permission_policy(VendorMarketplace, SETTINGS)

MENU_HOOK = "register_marketplace_menu_item"


def _vendor_select(form, for_user, *, exclude=None):
    """Offer only the vendors `for_user` manages (the snippet chooser would offer every vendor),
    preselected when there is one; fixed on a saved row."""
    field = form.fields["vendor"]
    field.widget = forms.Select()
    vendors = vendors_for_managers(user=for_user).order_by("name")
    if exclude is not None:
        vendors = vendors.exclude(pk__in=exclude)
    if form.instance.pk:
        field.disabled = True
        vendors = vendors.model.objects.filter(pk=form.instance.vendor_id)
    field.queryset = vendors
    if not form.instance.pk and len(vendors) == 1:
        field.initial = vendors[0].pk


class NamedAccountForm(WagtailAdminModelForm):
    """Checks each domain is a real e-mail domain, stores it in lower case, and refuses one that
    is listed twice or already belongs to another of the vendor's accounts."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            _vendor_select(self, for_user)

    def clean(self):
        cleaned = super().clean()
        vendor = cleaned.get("vendor") or (self.instance.vendor if self.instance.vendor_id else None)
        company = (cleaned.get("company") or "").strip()
        if vendor is not None and company:
            same = NamedAccount.objects.filter(vendor=vendor, company__iexact=company).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error(
                    "company",
                    _("%(vendor)s already has a named account called %(company)s.")
                    % {"vendor": vendor.name, "company": company},
                )
        kept = []
        for child in self.formsets["domains"].forms:
            if not child.is_valid() or child.cleaned_data.get("DELETE") or not child.cleaned_data.get("domain"):
                continue
            try:
                domain = named_accounts.domain_clean(child.cleaned_data["domain"])
            except forms.ValidationError as error:
                child.add_error("domain", error)
                continue
            if domain in (d for d, _c in kept):
                child.add_error("domain", _("%(domain)s is listed twice.") % {"domain": domain})
                continue
            child.cleaned_data["domain"] = domain
            child.instance.domain = domain
            kept.append((domain, child))
        if vendor is not None and kept:
            taken = named_accounts.domains_taken(
                vendor_id=vendor.pk, domains=[d for d, _c in kept], account_id=self.instance.pk
            )
            for domain, child in kept:
                if domain in taken:
                    child.add_error("domain", named_accounts.domain_taken_message(domain, taken[domain]))
        formset = self.formsets["domains"]
        if not kept and not formset.non_form_errors() and not any(child.errors for child in formset.forms):
            self.add_error(None, _("Give the account at least one e-mail domain."))
        return cleaned

    def save(self, commit=True):
        if not self.instance.pk and self.for_user is not None:
            self.instance.created_by = self.for_user
        return super().save(commit=commit)


class NamedAccountViewSet(SnippetViewSet):
    model = NamedAccount
    permission_policy = NAMED_ACCOUNTS
    chooser_viewset_class = ScopedSnippetChooserViewSet
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    icon = "user"
    menu_label = _("Named accounts")
    list_display = ["company", "vendor", "owner_name", "owner_email"]
    list_filter = ["vendor"]
    search_fields = ["company", "owner_name", "owner_email"]
    edit_handler = ObjectList(
        [
            FieldPanel("vendor"),
            FieldPanel("company"),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("owner_name"), FieldPanel("owner_email")])],
                heading=_("Account manager"),
                help_text=_("Customers from this account are told this person will contact them."),
            ),
            InlinePanel(
                "domains",
                heading=_("E-mail domains"),
                label=_("Domain"),
                min_num=1,
                help_text=_("Requests from addresses at these domains go to you, never to partners."),
            ),
        ],
        base_form_class=NamedAccountForm,
    )

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["change", "delete"]
        ).select_related("vendor")


class VendorMarketplaceForm(WagtailAdminModelForm):
    """One settings row per vendor: a new one is offered only the managed vendors without one."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            _vendor_select(self, for_user, exclude=VendorMarketplace.objects.values("vendor_id"))


class VendorMarketplaceViewSet(SnippetViewSet):
    model = VendorMarketplace
    permission_policy = SETTINGS
    chooser_viewset_class = ScopedSnippetChooserViewSet
    edit_view_class = ScopedEditView
    icon = "cogs"
    menu_label = _("Marketplace settings")
    list_display = ["vendor", "offer_hours", "offers_at_once", "review_days", "protection_days"]
    edit_handler = ObjectList(
        [
            FieldPanel("vendor"),
            FieldRowPanel([FieldPanel("offer_hours"), FieldPanel("offers_at_once")]),
            FieldRowPanel([FieldPanel("review_days"), FieldPanel("protection_days")]),
        ],
        base_form_class=VendorMarketplaceForm,
    )

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_any_permission_for(request.user, ["change"]).select_related(
            "vendor"
        )


class MarketplaceGroup(SnippetViewSetGroup):
    """Named accounts, settings, and (through MENU_HOOK) the CSV import."""

    menu_label = _("Marketplace")
    menu_icon = "mail"
    menu_order = 280
    submenu_hook = MENU_HOOK
    items = (NamedAccountViewSet, VendorMarketplaceViewSet)
