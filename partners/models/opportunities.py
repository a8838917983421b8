"""Opportunity registration: a partner that finds a customer registers it and, once vendor staff
approve, owns that customer for those products for the protection window. A second registration
for the same customer domain and product is a conflict for vendor staff to decide."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CustomerDomain(models.Model):
    """One customer e-mail domain per vendor. Registrations for a domain lock its row, so two
    partners registering the same customer at the same moment are decided one after the other."""

    vendor = models.ForeignKey("community.Vendor", on_delete=models.CASCADE, related_name="+")
    domain = models.CharField(max_length=253)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vendor", "domain"], name="customer_domain_once")]

    def __str__(self):
        return self.domain


class Opportunity(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the vendor")
        CONFLICT = "conflict", _("In conflict, waiting for the vendor")
        APPROVED = "approved", _("Approved and protected")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Protection ended")

    organisation = models.ForeignKey(
        "community.PartnerOrganisation",
        on_delete=models.CASCADE,
        related_name="opportunities",
        verbose_name=_("partner"),
    )
    vendor = models.ForeignKey(
        "community.Vendor", on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("vendor")
    )
    customer = models.ForeignKey(CustomerDomain, on_delete=models.PROTECT, related_name="opportunities")
    customer_company = models.CharField(_("customer company"), max_length=160)
    products = models.ManyToManyField("community.Product", related_name="opportunities", verbose_name=_("products"))
    expected_value = models.DecimalField(
        _("expected value (USD)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    close_date = models.DateField(_("expected close date"))
    notes = models.TextField(_("evidence"), max_length=4000, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decide_by = models.DateTimeField(_("decision due"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(_("decision note"), max_length=2000, blank=True)
    protected_until = models.DateField(_("protected until"), null=True, blank=True)
    renewed = models.BooleanField(_("protection renewed"), default=False)

    class Meta:
        ordering = ["-registered_at", "-pk"]
        verbose_name = _("opportunity registration")
        verbose_name_plural = _("opportunity registrations")
        indexes = [models.Index(fields=["vendor", "state"], name="opportunity_vendor_state")]

    def __str__(self):
        return f"{self.customer_company} · {self.organisation_id} ({self.state})"


class OpportunityConflict(models.Model):
    """Two registrations for one customer domain and product; vendor staff name the winner."""

    first = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="conflicts_as_first")
    second = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="conflicts_as_second")
    found_at = models.DateTimeField(default=timezone.now)
    winner = models.ForeignKey(Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("decision note"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-found_at"]
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="conflict_once")]

    def __str__(self):
        return f"{self.first_id} ↔ {self.second_id}"
