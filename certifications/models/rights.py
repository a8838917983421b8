"""Delivery rights: the rule a vendor sets per product and the rights derived from certificates.
Rights are never typed in; `certifications.rights.services` recomputes them and writes every transition as
an event naming the certificates that counted."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeliveryRightRule(models.Model):
    """What a partner company needs to deliver one product."""

    product = models.OneToOneField(
        "community.Product", on_delete=models.CASCADE, related_name="delivery_rule", verbose_name=_("product")
    )
    certifications = models.ManyToManyField(
        "certifications.CertificationPage",
        related_name="delivery_rules",
        verbose_name=_("certifications that count"),
    )
    min_engineers = models.PositiveSmallIntegerField(
        _("certified engineers needed"), default=1, validators=[MinValueValidator(1)]
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period in days"),
        default=90,
        help_text=_("How long a partner keeps the right after it drops below the number needed."),
    )
    max_products_per_engineer = models.PositiveSmallIntegerField(
        _("products one engineer may count towards"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("delivery-right rule")
        verbose_name_plural = _("delivery-right rules")

    def __str__(self):
        return str(self.product)


class DeliveryRightRuleChange(models.Model):
    """Audit of a rule: what it said before and after, who changed it and when. A change applies
    from then on; past right events are never rewritten."""

    rule = models.ForeignKey(DeliveryRightRule, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.rule_id} {self.changed_at:%Y-%m-%d}"


class RightStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    GRACE = "grace", _("Grace period")
    LAPSED = "lapsed", _("Lapsed")


# Rights a partner holds now: active, or in grace while its certificates are renewed.
HOLDING = (RightStatus.ACTIVE, RightStatus.GRACE)


def right_holding_q(prefix: str = "") -> models.Q:
    """The condition "held now" on delivery rights, or through a relation named by `prefix`."""
    return models.Q(**{f"{prefix}status__in": HOLDING})


class DeliveryRightQuerySet(models.QuerySet):
    def holding(self):
        """Rights a partner holds now (see `HOLDING`)."""
        return self.filter(right_holding_q())


class OrganisationDeliveryRight(models.Model):
    """A partner company's right to deliver one product, as last computed."""

    organisation = models.ForeignKey(
        "community.PartnerOrganisation", on_delete=models.CASCADE, related_name="delivery_rights"
    )
    product = models.ForeignKey("community.Product", on_delete=models.CASCADE, related_name="delivery_rights")
    status = models.CharField(_("status"), max_length=10, choices=RightStatus.choices)
    active_since = models.DateTimeField(_("delivering since"), null=True, blank=True)
    grace_ends_at = models.DateTimeField(_("grace ends"), null=True, blank=True)
    lapsed_at = models.DateTimeField(_("lapsed"), null=True, blank=True)
    certified_engineers = models.PositiveIntegerField(_("certified engineers counted"), default=0)
    updated_at = models.DateTimeField(_("updated"))

    objects = DeliveryRightQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery right")
        verbose_name_plural = _("delivery rights")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "product"], name="delivery_right_once"),
            models.CheckConstraint(
                condition=~Q(status="grace") | Q(grace_ends_at__isnull=False), name="delivery_right_grace_has_end"
            ),
        ]
        indexes = [models.Index(fields=["product", "status"], name="delivery_right_product_status")]

    def __str__(self):
        return f"{self.organisation_id} · {self.product_id} · {self.status}"


class DeliveryRightEvent(models.Model):
    """One transition of a right (including its first computation), with the certificates that
    counted at that moment."""

    class Cause(models.TextChoices):
        CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
        CERTIFICATE_EXPIRED = "certificate_expired", _("Certificate expired")
        CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
        CERTIFICATE_RENEWED = "certificate_renewed", _("Certificate renewed")
        MEMBER_JOINED = "member_joined", _("Member joined")
        MEMBER_LEFT = "member_left", _("Member left")
        RULE_CHANGED = "rule_changed", _("Rule changed")
        GRACE_ENDED = "grace_ended", _("Grace period ended")
        RECHECK = "recheck", _("Nightly re-check")

    right = models.ForeignKey(OrganisationDeliveryRight, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    from_status = models.CharField(max_length=10, choices=RightStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=RightStatus.choices)
    cause = models.CharField(max_length=24, choices=Cause.choices)
    certified_engineers = models.PositiveIntegerField()
    required_engineers = models.PositiveIntegerField()
    certificates = models.ManyToManyField("certifications.Certificate", related_name="+", blank=True)
    grace_ends_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["right", "at"], name="delivery_right_event_at")]

    def __str__(self):
        return f"{self.right_id} {self.from_status}->{self.to_status}"


class RightsCheck(models.Model):
    """A nightly re-check of every right: how many were checked and what had drifted."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    checked = models.PositiveIntegerField(default=0)
    drifted = models.PositiveIntegerField(default=0)
    drift = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d} {self.drifted}/{self.checked}"
