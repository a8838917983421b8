"""A customer's request for help and the offers routing makes of it. The customer has no account:
they confirm their e-mail by a link and follow the request on a page reached by a signed link."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Region


class CompanySize(models.TextChoices):
    SMALL = "1-49", _("1–49 employees")
    MEDIUM = "50-249", _("50–249 employees")
    LARGE = "250-999", _("250–999 employees")
    ENTERPRISE = "1000+", _("1,000 employees or more")


class CustomerRequest(models.Model):
    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
        ROUTING = "routing", _("Offered to partners")
        ACCEPTED = "accepted", _("Accepted by a partner")
        VENDOR = "vendor", _("With the vendor's account team")
        UNMATCHED = "unmatched", _("No partner available")

    vendor = models.ForeignKey(
        "community.Vendor", on_delete=models.PROTECT, related_name="customer_requests", verbose_name=_("vendor")
    )
    products = models.ManyToManyField("community.Product", related_name="customer_requests", verbose_name=_("products"))
    region = models.CharField(_("region"), max_length=8, choices=Region.choices)
    company = models.CharField(_("company"), max_length=160)
    company_size = models.CharField(_("company size"), max_length=10, choices=CompanySize.choices)
    contact_name = models.CharField(_("contact name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    need = models.TextField(_("what you need"), max_length=4000)
    language = models.CharField(_("language"), max_length=10, default="en")
    chosen_partners = models.ManyToManyField(
        "community.PartnerOrganisation",
        blank=True,
        related_name="chosen_for_requests",
        verbose_name=_("partners the customer chose"),
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.UNCONFIRMED)
    named_account = models.ForeignKey(
        "partners.NamedAccount", null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    protected_by = models.ForeignKey(
        "partners.Opportunity", null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("customer request")
        verbose_name_plural = _("customer requests")
        indexes = [models.Index(fields=["vendor", "state"], name="request_vendor_state")]

    def __str__(self):
        return f"{self.company} ({self.get_state_display()})"

    @property
    def email_domain(self) -> str:
        return self.email.rsplit("@", 1)[-1].lower()


class DeclineReason(models.TextChoices):
    CAPACITY = "capacity", _("No capacity right now")
    LOCATION = "location", _("Too far from the customer")
    SCOPE = "scope", _("Outside what we deliver")
    SIZE = "size", _("Project too small or too large")
    CONFLICT = "conflict", _("Conflict of interest")
    OTHER = "other", _("Another reason")


class Offer(models.Model):
    """A request offered to one partner until `respond_by`. Routing offers a few partners at a
    time; the first to accept takes it and the others' pending offers are withdrawn."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("No answer in time")
        WITHDRAWN = "withdrawn", _("Taken by another partner")

    request = models.ForeignKey(CustomerRequest, on_delete=models.CASCADE, related_name="offers")
    organisation = models.ForeignKey(
        "community.PartnerOrganisation", on_delete=models.CASCADE, related_name="offers", verbose_name=_("partner")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    in_grace = models.BooleanField(
        _("renewal pending"), default=False, help_text=_("The partner's right was in its grace period when offered.")
    )
    offered_at = models.DateTimeField(_("offered"))
    respond_by = models.DateTimeField(_("answer by"))
    reminded_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.CharField(_("reason"), max_length=10, choices=DeclineReason.choices, blank=True)

    class Meta:
        ordering = ["offered_at", "pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.UniqueConstraint(fields=["request", "organisation"], name="offer_once_per_partner"),
            models.UniqueConstraint(
                fields=["request"], condition=Q(state="accepted"), name="offer_one_accepted_per_request"
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_reason=""), name="offer_declined_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "state"], name="offer_partner_state"),
            models.Index(fields=["state", "respond_by"], name="offer_state_deadline"),
            # Routing counts each candidate's offers of the last 90 days (partners.routing_facts).
            models.Index(fields=["organisation", "offered_at"], name="offer_partner_offered"),
        ]

    def __str__(self):
        return f"{self.request_id} → {self.organisation_id} ({self.state})"
