"""Partner tiers: a vendor's ordered rules over facts the platform holds (products with a right
in force, certified engineers, satisfaction, engagements delivered), and each organisation's tier
with that vendor, recomputed like delivery rights (`partners.tiers`): upgrades at once, a
downgrade only once the tier's grace period has ended, every change an event with the facts of
that moment. Tiers are not deleted: the events of partners' tiers name them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerTier(models.Model):
    """One of a vendor's tiers. A higher `rank` is a better tier, and must ask at least as much
    as every lower one (`partners.tiers.tier_ladder_errors`)."""

    vendor = models.ForeignKey(
        "community.Vendor", on_delete=models.CASCADE, related_name="partner_tiers", verbose_name=_("vendor")
    )
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, help_text=_("Used in the directory's address: ?tier=gold."))
    rank = models.PositiveSmallIntegerField(
        _("rank"), validators=[MinValueValidator(1)], help_text=_("1 is the entry tier; higher ranks are better tiers.")
    )
    min_products = models.PositiveSmallIntegerField(
        _("products with a delivery right"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Of your products, how many the partner holds a delivery right for (active or renewal pending)."),
    )
    min_certified = models.PositiveIntegerField(
        _("certified engineers needed"),
        default=0,
        help_text=_("Current members holding a valid certificate that counts towards one of your products."),
    )
    min_satisfaction = models.DecimalField(
        _("minimum satisfaction"),
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_(
            "Average satisfaction (1-5) on engagements for your products in the last 12 months; "
            "only met from 5 answers. Leave empty not to require one."
        ),
    )
    min_delivered = models.PositiveIntegerField(
        _("engagements delivered"), default=0, help_text=_("Engagements for your products marked delivered.")
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period in days"),
        default=90,
        help_text=_("How long a partner keeps this tier after it stops meeting it, before it moves down."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["vendor", "rank"]
        verbose_name = _("partner tier")
        verbose_name_plural = _("partner tiers")
        constraints = [
            models.UniqueConstraint(fields=["vendor", "rank"], name="partner_tier_rank_once"),
            models.UniqueConstraint(fields=["vendor", "slug"], name="partner_tier_slug_once"),
        ]

    def __str__(self):
        return self.name


class PartnerTierChange(models.Model):
    """Audit of a tier's definition: before and after, who and when."""

    tier = models.ForeignKey(PartnerTier, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.tier_id} {self.changed_at:%Y-%m-%d}"


class OrganisationTierQuerySet(models.QuerySet):
    def held(self):
        """Rows where the organisation holds a tier (in grace or not)."""
        return self.filter(tier__isnull=False)


class OrganisationTier(models.Model):
    """An organisation's tier with one vendor, as last computed. `grace_ends_at` is set while it no
    longer meets `tier`: it keeps the tier until then. `tier` is empty once it has moved below
    the vendor's entry tier (the row stays with its events)."""

    organisation = models.ForeignKey(
        "community.PartnerOrganisation", on_delete=models.CASCADE, related_name="tiers", verbose_name=_("partner")
    )
    vendor = models.ForeignKey("community.Vendor", on_delete=models.CASCADE, related_name="+")
    tier = models.ForeignKey(PartnerTier, null=True, blank=True, on_delete=models.PROTECT, related_name="holders")
    since = models.DateTimeField(null=True, blank=True)
    grace_ends_at = models.DateTimeField(null=True, blank=True)
    facts = models.JSONField(default=dict)
    updated_at = models.DateTimeField()

    objects = OrganisationTierQuerySet.as_manager()

    class Meta:
        ordering = ["vendor", "organisation"]
        constraints = [models.UniqueConstraint(fields=["organisation", "vendor"], name="organisation_tier_once")]
        indexes = [models.Index(fields=["tier", "organisation"], name="organisation_tier_by_tier")]

    def __str__(self):
        return f"{self.organisation_id} · {self.vendor_id}: {self.tier_id}"


class OrganisationTierEvent(models.Model):
    """One change of an organisation's tier with a vendor: from, to (both empty below the entry
    tier), the facts at that moment, why, when; a grace starting or ending early is a change too
    (`from_tier == to_tier`, with or without `grace_ends_at`)."""

    class Cause(models.TextChoices):
        RIGHTS_CHANGED = "rights_changed", _("Delivery rights changed")
        PEOPLE_CHANGED = "people_changed", _("Certified engineers changed")
        ENGAGEMENT_DELIVERED = "engagement_delivered", _("Engagement delivered")
        SURVEY_ANSWERED = "survey_answered", _("Survey answered")
        TIER_CHANGED = "tier_changed", _("Tier definition changed")
        GRACE_ENDED = "grace_ended", _("Grace period ended")
        SWEEP = "sweep", _("Daily check")

    organisation_tier = models.ForeignKey(OrganisationTier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    from_tier = models.ForeignKey(PartnerTier, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_tier = models.ForeignKey(PartnerTier, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    grace_ends_at = models.DateTimeField(null=True, blank=True)
    facts = models.JSONField()
    cause = models.CharField(max_length=24, choices=Cause.choices)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.organisation_tier_id}: {self.from_tier_id}->{self.to_tier_id} {self.at:%Y-%m-%d}"
