from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from community.sites import settings_for_site


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """What editors change about the whole site without a deploy."""

    tagline = models.CharField(_("tagline"), max_length=200, default="Train, certify and deliver with confidence.")
    support_email = models.EmailField(_("support e-mail"), default="support@partner-academy.example")
    footer_text = models.CharField(
        _("footer text"),
        max_length=255,
        blank=True,
        default="Partner Academy is where vendors train, certify and authorise their partners.",
    )

    class Meta:
        verbose_name = _("site settings")

    @classmethod
    def for_site(cls, site):
        """From the cache (community.sites): every page reads them."""
        return settings_for_site(site=site, read=lambda: super(SiteSettings, cls).for_site(site))
