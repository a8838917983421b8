import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Region(models.TextChoices):
    """Sales regions as vendors' partner programmes use them; the directory filters on the code."""

    NORTH_AMERICA = "na", _("North America")
    LATIN_AMERICA = "latam", _("Latin America")
    EUROPE = "eu", _("Europe")
    MIDDLE_EAST_AFRICA = "mea", _("Middle East and Africa")
    GREATER_CHINA = "gc", _("Greater China")
    ASIA_PACIFIC = "apac", _("Asia Pacific")


class PartnerOrganisation(models.Model):
    class Kind(models.TextChoices):
        PARTNER = "partner", _("Partner")
        DISTRIBUTOR = "distributor", _("Distributor")

    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PARTNER)
    region = models.CharField(_("region"), max_length=8, choices=Region.choices, db_index=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community:organisation_members", kwargs={"slug": self.slug})


def membership_current_q(prefix: str = "") -> models.Q:
    """The condition "not left" on memberships, or through a relation when `prefix` names it
    (`"memberships__"`): filtering in the same `filter()` as the relation's other conditions keeps
    one join, so rows are not duplicated."""
    return models.Q(**{f"{prefix}left_at__isnull": True})


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """Memberships not left: a person's current organisation and role."""
        return self.filter(membership_current_q())

    def former(self):
        """Memberships that ended: the organisation's and the person's history."""
        return self.exclude(membership_current_q())


class Membership(models.Model):
    """A person's time at an organisation. Leaving sets `left_at` instead of deleting, so the
    person's history (and the organisation's) survives; at most one membership is current."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Partner admin")
        ENGINEER = "engineer", _("Engineer")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.ENGINEER)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=membership_current_q(), name="membership_one_current_per_user"
            )
        ]
        indexes = [models.Index(fields=["organisation", "left_at"], name="membership_org_current")]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def is_current(self) -> bool:
        return self.left_at is None


class Invitation(models.Model):
    """An e-mailed, expiring, single-use invitation to join an organisation. Only a hash of the
    token is stored, so a database leak does not leak usable links."""

    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.ENGINEER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
