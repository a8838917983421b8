from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from community.models.translated_text import TranslatedTextMixin
from community.sites import settings_for_site
from community.translation_forms import translations_form, translations_panel


@register_setting(icon="cog")
class SiteSettings(TranslatedTextMixin, BaseSiteSetting):
    """What editors change about the whole site without a deploy; the footer text also in the
    site's other languages."""

    translated_fields = ("footer_text",)

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


# After the class: the translation fields are built from its fields.
SiteSettings.panels = [
    FieldPanel("tagline"),
    FieldPanel("support_email"),
    FieldPanel("footer_text"),
    translations_panel(SiteSettings),
]
SiteSettings.base_form_class = translations_form(SiteSettings)
