from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A secret that lets a script call the API's non-public endpoints on behalf of a vendor or a
    partner organisation. Only the SHA-256 of the secret is kept: the secret is shown once, when
    the token is made. A token never does more than the person who made it may do now: it stops
    working when they leave the vendor's staff or the organisation's admins."""

    class Scope(models.TextChoices):
        READ_CERTIFICATES = "read_certificates", _("Read certificates")
        READ_RIGHTS = "read_rights", _("Read delivery rights")
        READ_ATTEMPTS = "read_attempts", _("Read exam attempts")
        REVOKE = "revoke", _("Revoke certificates")
        IMPORT = "import", _("Import certificates")

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal: only its maker sees and revokes it")
        SHARED = (
            "shared",
            _("Shared: everyone who may make tokens for the same vendor or organisation sees and may revoke it"),
        )

    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PERSONAL)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="academy_api_tokens", verbose_name=_("made by")
    )
    vendor = models.ForeignKey(
        "community.Vendor", null=True, blank=True, on_delete=models.CASCADE, related_name="api_tokens"
    )
    organisation = models.ForeignKey(
        "community.PartnerOrganisation", null=True, blank=True, on_delete=models.CASCADE, related_name="api_tokens"
    )
    scopes = models.JSONField(_("scopes"), default=list)
    # The secret's first characters, shown in lists so that a leaked secret can be matched to its row.
    prefix = models.CharField(_("starts with"), max_length=16)
    secret_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(vendor__isnull=False, organisation__isnull=True)
                | Q(vendor__isnull=True, organisation__isnull=False),
                name="api_token_one_owner",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def scope_labels(self) -> list[str]:
        return [str(self.Scope(scope).label) for scope in self.scopes if scope in self.Scope.values]
