"""Signal receivers that publish certificate and delivery-right events to the vendor's webhooks
(`community.webhooks`): wiring and the payloads. A payload names what anyone could verify (the
certificate's serial, holder's name as printed, certification, dates, status, the public
verification URL) and the partner's slug; never an e-mail address."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from community.selectors import membership_current
from community.webhooks.publishing import messages_create, webhook_publish

CERTIFICATE_EVENTS = {"issued", "renewed", "expired", "revoked"}


def certificate_data(certificate) -> dict:
    membership = membership_current(user=certificate.holder)
    verification = reverse("certifications:verify_serial", kwargs={"serial": certificate.serial})
    data = {
        "serial": certificate.serial,
        "status": certificate.status,
        "holder_name": certificate.holder_name,
        "certification": certificate.certification_title,
        "vendor": certificate.vendor_name,
        "products": certificate.product_names,
        "organisation": membership.organisation.slug if membership is not None else None,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "verification_url": settings.SITE_URL + verification,
    }
    if certificate.revoked_at is not None:
        data["revoked_at"] = certificate.revoked_at
        data["revocation_reason"] = certificate.revocation_reason
    if certificate.renews_id is not None:
        data["renews"] = certificate.renews.serial
    return data


def certificate_changed(sender, certificate, change, **kwargs):
    """Sent once the certificate's transaction has committed, so its messages are made at once."""
    if change in CERTIFICATE_EVENTS:
        messages_create(
            vendor_id=certificate.vendor_id,
            event_type=f"certificate.{change}",
            data=lambda: certificate_data(certificate),
            at=timezone.now(),
        )


def right_changed(sender, right, from_status, now, **kwargs):
    """Status transitions only; a new count of engineers with the same status is not an event."""
    if from_status is None:
        return

    def data():
        return {
            "organisation": right.organisation.slug,
            "product": right.product.slug,
            "region": right.organisation.region,
            "status": right.status,
            "from_status": from_status or None,
            "certified_engineers": right.certified_engineers,
            "grace_ends_at": right.grace_ends_at,
            "changed_at": now,
        }

    webhook_publish(vendor_id=right.product.vendor_id, event_type="delivery_right.changed", data=data, now=now)
