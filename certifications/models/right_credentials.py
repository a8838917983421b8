"""A delivery right's holding periods, each published as its own signed credential.

A right held, lost and held again is two credentials, not one: revocation in a Bitstring Status
List is final, so the credential of a period that ended stays revoked and the next period gets a
new credential with its own status index. The facts the credential states are frozen when the
period starts, as a certificate's are at issue. Written only by
`certifications.verification.right_credentials.right_credential_sync`."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeliveryRightCredentialQuerySet(models.QuerySet):
    def current(self):
        """Credentials of periods not ended: at most one per right."""
        return self.filter(revoked_at__isnull=True)


class DeliveryRightCredential(models.Model):
    """One holding period of an `OrganisationDeliveryRight`; its primary key is its bit in the
    rights' status lists."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    right = models.ForeignKey(
        "certifications.OrganisationDeliveryRight", on_delete=models.CASCADE, related_name="credentials"
    )
    organisation_name = models.CharField(_("partner organisation"), max_length=160)
    organisation_slug = models.SlugField(max_length=160)
    organisation_website = models.URLField(blank=True)
    product_name = models.CharField(_("product"), max_length=120)
    product_slug = models.SlugField(max_length=120)
    vendor_name = models.CharField(_("vendor"), max_length=120)
    vendor_website = models.URLField(blank=True)
    region = models.CharField(_("region"), max_length=8)
    region_name = models.CharField(max_length=80)
    issued_at = models.DateTimeField(_("issued"))
    suspended_at = models.DateTimeField(_("renewal pending since"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # Moves on with every change of a status bit, which the published lists' cache keys follow.
    changed_at = models.DateTimeField(auto_now=True)

    objects = DeliveryRightCredentialQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery-right credential")
        verbose_name_plural = _("delivery-right credentials")
        constraints = [
            models.UniqueConstraint(
                fields=["right"], condition=Q(revoked_at__isnull=True), name="delivery_right_credential_one_current"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(suspended_at__isnull=True),
                name="delivery_right_credential_revoked_not_suspended",
            ),
        ]

    def __str__(self):
        return f"{self.right_id} · {self.issued_at:%Y-%m-%d}"
