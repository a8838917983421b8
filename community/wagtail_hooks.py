"""The Partner programme menu in the Wagtail admin: vendors, products, partner organisations.
Vendor staff see and edit only their own vendors' products. And vendors' webhooks
(`community.webhooks.admin_views`), for their staff."""

from django import forms
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from community import avatars, selectors
from community.admin_scoping import (
    ScopedDeleteView,
    ScopedEditView,
    ScopedSnippetChooserViewSet,
    StaffMenuItem,
    VendorScopedPolicy,
)
from community.models import PartnerOrganisation, Product, Vendor
from community.webhooks import admin_views as webhook_admin


class VendorViewSet(SnippetViewSet):
    model = Vendor
    icon = "site"
    menu_label = _("Vendors")
    list_display = ["name", "website"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("website"), FieldPanel("brand_colour")]),
        FieldPanel("description"),
        FieldPanel("logo"),
    ]


# Django's model permissions (vendor staff may add and change, not delete), on their own vendors'
# products only.
register_permission_policy(Product, VendorScopedPolicy(Product, "vendor", model_permissions=True))


class ProductForm(WagtailAdminModelForm):
    """Vendor staff may only file products under vendors they work for: a plain select of those
    vendors (the snippet chooser would offer every vendor), validated against the same list."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and "vendor" in self.fields:
            field = self.fields["vendor"]
            field.widget = forms.Select()
            field.queryset = selectors.vendors_for_staff(user=for_user)
            if not self.instance.pk and len(field.queryset) == 1:
                field.initial = field.queryset[0].pk


class ProductViewSet(SnippetViewSet):
    chooser_viewset_class = ScopedSnippetChooserViewSet
    model = Product
    icon = "tag"
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    menu_label = _("Products")
    list_display = ["name", "vendor", "category"]
    list_filter = ["vendor", "category"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("vendor"),
            FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
            FieldPanel("category"),
            FieldPanel("short_description"),
            FieldPanel("logo"),
        ],
        base_form_class=ProductForm,
    )

    def get_queryset(self, request):
        queryset = Product.objects.select_related("vendor")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(vendor__in=selectors.vendors_for_staff(user=request.user))


class PartnerOrganisationViewSet(SnippetViewSet):
    model = PartnerOrganisation
    icon = "group"
    menu_label = _("Partner organisations")
    list_display = ["name", "kind", "region", "country", "city"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "city"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("region"), FieldPanel("country")]), FieldPanel("city")], heading=_("Location")
        ),
        FieldPanel("website"),
        FieldPanel("description"),
        FieldPanel("logo"),
    ]


class PartnerProgrammeGroup(SnippetViewSetGroup):
    menu_label = _("Partner programme")
    menu_icon = "group"
    menu_order = 200
    items = (VendorViewSet, ProductViewSet, PartnerOrganisationViewSet)


register_snippet(PartnerProgrammeGroup)


hooks.register("get_avatar_url", avatars.admin_avatar_url)


@hooks.register("register_admin_urls")
def register_webhook_admin_urls():
    return [path("webhooks/", include((webhook_admin.urlpatterns, "webhooks_admin"), namespace="webhooks_admin"))]


@hooks.register("register_admin_menu_item")
def register_webhooks_menu_item():
    return StaffMenuItem(_("Webhooks"), reverse("webhooks_admin:index"), icon_name="link", order=290)
