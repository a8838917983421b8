"""The event types an endpoint may subscribe to, as the payload's `type` names them."""

from django.utils.translation import gettext_lazy as _

EVENT_TYPES = {
    "certificate.issued": _("Certificate issued"),
    "certificate.renewed": _("Certificate renewed"),
    "certificate.expired": _("Certificate expired"),
    "certificate.revoked": _("Certificate revoked"),
    "delivery_right.changed": _("Delivery right changed"),
    "request.offered": _("Customer request offered to a partner"),
    "request.accepted": _("Customer request accepted"),
    "request.declined": _("Customer request declined"),
    "opportunity.registered": _("Opportunity registered"),
    "opportunity.approved": _("Opportunity approved"),
    "opportunity.rejected": _("Opportunity rejected"),
    "engagement.delivered": _("Engagement delivered"),
}

# Sent only by "Send test event" in the admin, whatever the endpoint subscribes to.
TEST_EVENT = "webhook.test"
