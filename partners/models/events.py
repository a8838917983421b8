"""Every marketplace transition as an event, and the in-site notices people get of them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MarketplaceEvent(models.Model):
    class Kind(models.TextChoices):
        REQUEST_CREATED = "request_created", _("Request received")
        REQUEST_CONFIRMED = "request_confirmed", _("E-mail confirmed")
        REQUEST_TO_VENDOR = "request_to_vendor", _("Passed to the vendor's account team")
        REQUEST_TO_OWNER = "request_to_owner", _("Passed to the partner registered for this customer")
        REQUEST_UNMATCHED = "request_unmatched", _("No partner could take it")
        OFFERED = "offered", _("Offered")
        DEADLINE_NEAR = "deadline_near", _("Answer due soon")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Offer expired")
        WITHDRAWN = "withdrawn", _("Offer withdrawn")
        REGISTERED = "registered", _("Opportunity registered")
        CONFLICT = "conflict", _("Conflict found")
        APPROVED = "approved", _("Registration approved")
        REJECTED = "rejected", _("Registration rejected")
        PROTECTION_RENEWED = "protection_renewed", _("Protection renewed")
        PROTECTION_ENDED = "protection_ended", _("Protection ended")
        DELIVERED = "delivered", _("Delivered")
        TEAM_INVITED = "team_invited", _("Sub-contractor invited")
        TEAM_JOINED = "team_joined", _("Sub-contractor joined")
        TEAM_DECLINED = "team_declined", _("Sub-contractor declined")
        SURVEY_ANSWERED = "survey_answered", _("Survey answered")
        COMMENT_HIDDEN = "comment_hidden", _("Comment hidden")
        COMMENT_REPLIED = "comment_replied", _("Partner replied")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "community.PartnerOrganisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    request = models.ForeignKey(
        "partners.CustomerRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    opportunity = models.ForeignKey(
        "partners.Opportunity", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    engagement = models.ForeignKey(
        "partners.Engagement", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class MarketplaceNotification(models.Model):
    """An in-site notice of an event for one person, linking to where they act on it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="marketplace_notices")
    event = models.ForeignKey(MarketplaceEvent, on_delete=models.CASCADE, related_name="notifications")
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="mkt_notice_user_unread")]
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="mkt_notice_once")]

    def __str__(self):
        return f"{self.user_id}: {self.event}"
