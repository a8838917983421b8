"""A vendor's marketplace settings. Vendors without a row use the defaults (`for_vendor`)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class VendorMarketplace(models.Model):
    vendor = models.OneToOneField(
        "community.Vendor", on_delete=models.CASCADE, related_name="marketplace", verbose_name=_("vendor")
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours a partner has to answer an offer"), default=48, validators=[MinValueValidator(1)]
    )
    offers_at_once = models.PositiveSmallIntegerField(
        _("partners offered a request at a time"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    review_days = models.PositiveSmallIntegerField(
        _("days to decide an opportunity registration"), default=5, validators=[MinValueValidator(1)]
    )
    protection_days = models.PositiveSmallIntegerField(
        _("days an approved opportunity is protected"), default=90, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("marketplace settings")
        verbose_name_plural = _("marketplace settings")

    def __str__(self):
        return str(self.vendor)

    @classmethod
    def for_vendor(cls, vendor_id: int) -> "VendorMarketplace":
        """The vendor's settings, or unsaved defaults when it has none."""
        return cls.objects.filter(vendor_id=vendor_id).first() or cls(vendor_id=vendor_id)
