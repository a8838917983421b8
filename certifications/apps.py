from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationsConfig(AppConfig):
    name = "certifications"
    verbose_name = _("Certifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from certifications.certificates.font_subsetting import fonttools_fallback_warn_once
        from certifications.rights import receivers
        from certifications.rights.signals import right_changed
        from certifications.verification import receivers as verification_receivers
        from community.signals import membership_changed

        fonttools_fallback_warn_once()
        membership_changed.connect(receivers.membership_changed, dispatch_uid="certifications.rights.membership")
        page_published.connect(receivers.page_published, dispatch_uid="certifications.rights.version")
        right_changed.connect(verification_receivers.right_changed, dispatch_uid="certifications.verification.right")
