from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationsConfig(AppConfig):
    name = "certifications"
    verbose_name = _("Certifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.signals import page_published

        from certifications import webhook_receivers
        from certifications.certificates.font_subsetting import fonttools_fallback_warn_once
        from certifications.certificates.signals import certificate_changed
        from certifications.models import Certificate, CertificationPage, DeliveryRightRule, OrganisationDeliveryRight
        from certifications.rights import forecast_cache, receivers
        from certifications.rights.signals import right_changed
        from certifications.verification import receivers as verification_receivers
        from community.models import Membership, PartnerOrganisation, Product
        from community.signals import membership_changed

        fonttools_fallback_warn_once()
        membership_changed.connect(receivers.membership_changed, dispatch_uid="certifications.rights.membership")
        page_published.connect(receivers.page_published, dispatch_uid="certifications.rights.version")
        right_changed.connect(verification_receivers.right_changed, dispatch_uid="certifications.verification.right")
        certificate_changed.connect(webhook_receivers.certificate_changed, dispatch_uid="certifications.webhooks.cert")
        right_changed.connect(webhook_receivers.right_changed, dispatch_uid="certifications.webhooks.right")

        # Whatever the vendor dashboard's cached forecast reads (certifications.rights.forecast_cache).
        for signal, name in (
            (right_changed, "right"),
            (certificate_changed, "certificate"),
            (membership_changed, "membership"),
        ):
            signal.connect(forecast_cache.changed, dispatch_uid=f"certifications.forecast.{name}")
        for model in (
            OrganisationDeliveryRight,
            Certificate,
            Membership,
            DeliveryRightRule,
            CertificationPage,
            PartnerOrganisation,
            Product,
        ):
            name = model._meta.label_lower
            for signal in (post_save, post_delete):
                signal.connect(
                    forecast_cache.changed,
                    sender=model,
                    dispatch_uid=f"certifications.forecast.{name}.{signal is post_save}",
                )
        m2m_changed.connect(
            forecast_cache.changed,
            sender=DeliveryRightRule.certifications.through,
            dispatch_uid="certifications.forecast.rule",
        )
