from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class CommunityConfig(AppConfig):
    # The module holds two configs, so Django needs telling which one is the app's own.
    default = True
    name = "community"
    verbose_name = _("Community")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Site
        from wagtail.signals import post_page_move

        from community import receivers
        from community.models import SiteSettings, Vendor

        post_save.connect(receivers.vendor_saved, sender=Vendor, dispatch_uid="community.vendor_saved")
        # The cached Site of each host and its settings (community.sites) are read again after any
        # change to a Site, a page move (a site's root may move) or a change of the settings.
        changed = receivers.sites_changed
        post_save.connect(changed, sender=SiteSettings, dispatch_uid="community.site_settings_saved")
        post_save.connect(changed, sender=Site, dispatch_uid="community.site_saved")
        post_delete.connect(changed, sender=Site, dispatch_uid="community.site_deleted")
        post_page_move.connect(changed, dispatch_uid="community.page_moved")


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our user forms: one full name and a printed name, no split
    first/last name."""

    user_viewset = "community.admin_users.UserViewSet"
