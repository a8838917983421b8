from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationsConfig(AppConfig):
    name = "certifications"
    verbose_name = _("Certifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from certifications import receivers
        from certifications.directory_cache import directory_results
        from certifications.font_subsetting import fonttools_fallback_warn_once
        from certifications.models import OrganisationDeliveryRight
        from certifications.signals import certificate_changed
        from community.models import PartnerOrganisation, Product, Vendor
        from community.signals import membership_changed

        fonttools_fallback_warn_once()
        certificate_changed.connect(receivers.certificate_changed, dispatch_uid="certifications.rights.certificate")
        membership_changed.connect(receivers.membership_changed, dispatch_uid="certifications.rights.membership")
        # Whatever the directory's results show (certifications.directory_cache).
        for model in (OrganisationDeliveryRight, PartnerOrganisation, Product, Vendor):
            name = model._meta.label_lower
            post_save.connect(
                directory_results.changed, sender=model, dispatch_uid=f"certifications.directory.{name}.saved"
            )
            post_delete.connect(
                directory_results.changed, sender=model, dispatch_uid=f"certifications.directory.{name}.deleted"
            )
