"""Work a partner takes on: from an accepted request or an approved opportunity, possibly with
sub-contractors, delivered, then rated once by the customer contact."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Engagement(models.Model):
    organisation = models.ForeignKey(
        "community.PartnerOrganisation",
        on_delete=models.CASCADE,
        related_name="engagements",
        verbose_name=_("partner"),
    )
    vendor = models.ForeignKey("community.Vendor", on_delete=models.PROTECT, related_name="engagements")
    request = models.OneToOneField(
        "partners.CustomerRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="engagement"
    )
    opportunity = models.OneToOneField(
        "partners.Opportunity", null=True, blank=True, on_delete=models.SET_NULL, related_name="engagement"
    )
    products = models.ManyToManyField("community.Product", related_name="engagements")
    customer_company = models.CharField(_("customer company"), max_length=160)
    contact_name = models.CharField(_("contact name"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_language = models.CharField(max_length=10, default="en")
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    survey_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        indexes = [models.Index(fields=["organisation", "delivered_at"], name="engagement_partner_delivered")]

    def __str__(self):
        return f"{self.customer_company} · {self.organisation_id}"


class EngagementPartner(models.Model):
    """A sub-contractor on an engagement and its part of the work."""

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Joined")
        DECLINED = "declined", _("Declined")

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="team")
    organisation = models.ForeignKey(
        "community.PartnerOrganisation", on_delete=models.CASCADE, related_name="subcontracts"
    )
    products = models.ManyToManyField("community.Product", related_name="+")
    part = models.CharField(_("their part of the work"), max_length=300)
    state = models.CharField(max_length=10, choices=State.choices, default=State.INVITED)
    invited_at = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["engagement", "organisation"], name="engagement_partner_once")]

    def __str__(self):
        return f"{self.engagement_id} + {self.organisation_id}"


class SatisfactionResponse(models.Model):
    """The customer contact's one answer to the survey of a delivered engagement."""

    engagement = models.OneToOneField(Engagement, on_delete=models.CASCADE, related_name="response")
    organisation = models.ForeignKey(
        "community.PartnerOrganisation", on_delete=models.CASCADE, related_name="satisfaction_responses"
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    recommend = models.PositiveSmallIntegerField(
        _("would recommend"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)
    reply = models.TextField(_("partner's reply"), max_length=2000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-answered_at"]
        constraints = [
            models.CheckConstraint(condition=Q(satisfaction__gte=1, satisfaction__lte=5), name="satisfaction_1_to_5"),
            models.CheckConstraint(condition=Q(recommend__lte=10), name="recommend_0_to_10"),
        ]
        indexes = [models.Index(fields=["organisation", "answered_at"], name="response_partner_answered")]

    def __str__(self):
        return f"{self.engagement_id}: {self.satisfaction}/5"
