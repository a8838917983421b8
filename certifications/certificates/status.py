"""A certificate's status as every page and the API show it, with the label and badge it is shown
with, so that a status reads and looks the same wherever it appears."""

from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from certifications.models import Certificate


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")

    @property
    def badge(self) -> str:
        """The site's badge class (static/css/site.css) the status is shown with."""
        return _BADGES[self]


_BADGES = {
    CertificateStatus.VALID: "badge-ok",
    CertificateStatus.EXPIRING: "badge-warn",
    CertificateStatus.EXPIRED: "badge-warn",
    CertificateStatus.REVOKED: "badge-danger",
}


def certificate_status(certificate: Certificate, *, day: date, expiring_within_days: int = 0) -> CertificateStatus:
    """Revoked wins over expired. A certificate is expired from its expiry date on, even before the
    nightly sweep has marked it, so nobody sees "valid" on a lapsed one. A valid certificate that
    expires within `expiring_within_days` is expiring soon; with 0 (the public view) it never is."""
    if certificate.status == Certificate.Status.REVOKED:
        return CertificateStatus.REVOKED
    if certificate.status == Certificate.Status.EXPIRED or certificate.expires_on <= day:
        return CertificateStatus.EXPIRED
    if certificate.expires_on <= day + timedelta(days=expiring_within_days):
        return CertificateStatus.EXPIRING
    return CertificateStatus.VALID
