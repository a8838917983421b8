from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationsConfig(AppConfig):
    name = "certifications"
    verbose_name = _("Certifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from certifications import receivers
        from certifications.signals import certificate_changed
        from community.signals import membership_changed

        certificate_changed.connect(receivers.certificate_changed, dispatch_uid="certifications.rights.certificate")
        membership_changed.connect(receivers.membership_changed, dispatch_uid="certifications.rights.membership")
