"""Customer tiering: the accounts a vendor's direct sales team keeps. A request from one of their
e-mail domains for that vendor's products goes to the vendor, never to partners."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class NamedAccount(ClusterableModel):
    vendor = models.ForeignKey(
        "community.Vendor", on_delete=models.CASCADE, related_name="named_accounts", verbose_name=_("vendor")
    )
    company = models.CharField(_("company"), max_length=160)
    owner_name = models.CharField(_("account manager"), max_length=150)
    owner_email = models.EmailField(_("account manager's e-mail"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["company"]
        verbose_name = _("named account")
        verbose_name_plural = _("named accounts")
        constraints = [models.UniqueConstraint(fields=["vendor", "company"], name="named_account_once")]

    def __str__(self):
        return self.company


class NamedAccountDomain(models.Model):
    """One e-mail domain of a named account, lower case; a domain belongs to one account per vendor."""

    account = ParentalKey(NamedAccount, on_delete=models.CASCADE, related_name="domains")
    vendor = models.ForeignKey("community.Vendor", on_delete=models.CASCADE, related_name="+", editable=False)
    domain = models.CharField(_("e-mail domain"), max_length=253)

    class Meta:
        ordering = ["domain"]
        constraints = [models.UniqueConstraint(fields=["vendor", "domain"], name="named_account_domain_once")]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower()
        self.vendor_id = self.account.vendor_id
        super().save(*args, **kwargs)


class LeadResponder(models.Model):
    """An engineer the partner's admins allow to accept and decline offers (admins always may)."""

    organisation = models.ForeignKey(
        "community.PartnerOrganisation", on_delete=models.CASCADE, related_name="lead_responders"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    allowed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="lead_responder_once")]

    def __str__(self):
        return f"{self.user_id} @ {self.organisation_id}"
