from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from certifications.certificates.signals import certificate_changed
        from certifications.models import OrganisationDeliveryRight
        from community.models import PartnerOrganisation, Product, Vendor
        from community.signals import membership_changed
        from partners import tier_receivers
        from partners.directory_cache import directory_results
        from partners.models import (
            CustomerRequest,
            Engagement,
            NamedAccount,
            Offer,
            PartnerTier,
            SatisfactionResponse,
        )
        from partners.vendor_requests_cache import offer_saved, request_saved, vendor_request_results

        # Whatever can change the facts partner tiers ask for (partners.tiers); engagements and
        # survey answers are partners' own services, which queue the recomputation themselves.
        post_save.connect(
            tier_receivers.right_saved, sender=OrganisationDeliveryRight, dispatch_uid="partners.tiers.right"
        )
        certificate_changed.connect(tier_receivers.certificate_changed, dispatch_uid="partners.tiers.certificate")
        membership_changed.connect(tier_receivers.membership_changed, dispatch_uid="partners.tiers.membership")

        # Whatever the directory's results show (partners.directory_cache), trust profiles and tiers
        # included.
        for model in (
            OrganisationDeliveryRight,
            PartnerOrganisation,
            Product,
            Vendor,
            Engagement,
            SatisfactionResponse,
            PartnerTier,
        ):
            name = model._meta.label_lower
            post_save.connect(directory_results.changed, sender=model, dispatch_uid=f"partners.directory.{name}.saved")
            post_delete.connect(
                directory_results.changed, sender=model, dispatch_uid=f"partners.directory.{name}.deleted"
            )

        # The vendor's request list (partners.vendor_requests_cache).
        post_save.connect(request_saved, sender=CustomerRequest, dispatch_uid="partners.vendor_requests.request")
        post_save.connect(offer_saved, sender=Offer, dispatch_uid="partners.vendor_requests.offer")
        for model in (PartnerOrganisation, Product, Vendor, NamedAccount):
            post_save.connect(
                vendor_request_results.changed,
                sender=model,
                dispatch_uid=f"partners.vendor_requests.{model._meta.label_lower}",
            )
