from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from certifications.models import OrganisationDeliveryRight
        from community.models import PartnerOrganisation, Product, Vendor
        from partners.directory_cache import directory_results
        from partners.models import Engagement, SatisfactionResponse

        # Whatever the directory's results show (partners.directory_cache), trust profiles included.
        for model in (
            OrganisationDeliveryRight,
            PartnerOrganisation,
            Product,
            Vendor,
            Engagement,
            SatisfactionResponse,
        ):
            name = model._meta.label_lower
            post_save.connect(directory_results.changed, sender=model, dispatch_uid=f"partners.directory.{name}.saved")
            post_delete.connect(
                directory_results.changed, sender=model, dispatch_uid=f"partners.directory.{name}.deleted"
            )
