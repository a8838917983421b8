"""Registers the Marketplace area of the Wagtail admin: named accounts and marketplace settings
(`partners.admin_viewsets`), the requests inbox and the named-account import
(`partners.admin_views`); and partner tiers (`partners.tiers_admin`)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from community.admin_scoping import ManagerMenuItem, StaffMenuItem
from partners import admin_views
from partners.admin_viewsets import MENU_HOOK, MarketplaceGroup
from partners.tiers_admin import PartnerTierViewSet

register_snippet(MarketplaceGroup)
register_snippet(PartnerTierViewSet)

admin_urlpatterns = [
    path("inbox/", admin_views.requests_inbox, name="inbox"),
    path("named-accounts/import/", admin_views.named_accounts_import, name="named_accounts_import"),
]


@hooks.register("register_admin_urls")
def register_marketplace_admin_urls():
    return [path("marketplace/", include((admin_urlpatterns, "partners_admin"), namespace="partners_admin"))]


@hooks.register(MENU_HOOK)
def register_inbox_menu_item():
    return StaffMenuItem(_("Requests inbox"), reverse("partners_admin:inbox"), icon_name="mail", order=0)


@hooks.register(MENU_HOOK)
def register_import_menu_item():
    return ManagerMenuItem(
        _("Import named accounts"), reverse("partners_admin:named_accounts_import"), icon_name="upload", order=10
    )
