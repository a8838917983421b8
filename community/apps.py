from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from community import receivers
        from community.models import Vendor

        post_save.connect(receivers.vendor_saved, sender=Vendor, dispatch_uid="community.vendor_saved")


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our user forms: one full name and a printed name, no split
    first/last name."""

    user_viewset = "community.admin_users.UserViewSet"
