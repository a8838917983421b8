"""API tokens: making, listing and revoking them, and `require_token(scope)`, the bearer
authentication that the API's non-public endpoints take (`auth=require_token(...)`).

A token belongs to a vendor or to a partner organisation and is made by one of its people (vendor
staff, partner admins). Its scopes are at most what that person's role allows, checked again on
every call: a token stops working as soon as its maker leaves, or no longer holds the role a scope
needs. Only the secret's SHA-256 is stored (the secret is 256 random bits, so a slow hash would add
nothing), and it is shown once."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.security import HttpBearer

from community.models import ApiToken, Membership, PartnerOrganisation, User, Vendor
from community.models.organisations import membership_current_q
from community.ratelimit import rate_limit_exceeded
from community.selectors import vendors_for_managers, vendors_for_staff

SECRET_PREFIX = "pa_"
PREFIX_LENGTH = 10
EXPIRY_CHOICES = (30, 90, 365)
Scope = ApiToken.Scope

# What each role may hand to a token. Partner admins read their own organisation's facts only.
VENDOR_STAFF_SCOPES = (Scope.READ_CERTIFICATES,)
VENDOR_MANAGER_SCOPES = (Scope.READ_CERTIFICATES, Scope.READ_ATTEMPTS, Scope.REVOKE, Scope.IMPORT)
PARTNER_ADMIN_SCOPES = (Scope.READ_CERTIFICATES, Scope.READ_RIGHTS)


@dataclass(frozen=True)
class TokenOwner:
    """Whom a token may be made for: a vendor or an organisation, and the scopes the person may give."""

    vendor: Vendor | None
    organisation: PartnerOrganisation | None
    scopes: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"vendor:{self.vendor.pk}" if self.vendor else f"organisation:{self.organisation.pk}"

    @property
    def label(self) -> str:
        return str(self.vendor or self.organisation)


def _secret_sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_owners_for(*, user: User) -> list[TokenOwner]:
    """The vendors and organisations `user` may make tokens for, with the scopes each allows."""
    if not user.is_authenticated:
        return []
    managed = set(vendors_for_managers(user=user).values_list("pk", flat=True))
    owners = [
        TokenOwner(vendor, None, VENDOR_MANAGER_SCOPES if vendor.pk in managed else VENDOR_STAFF_SCOPES)
        for vendor in vendors_for_staff(user=user).order_by("name")
    ]
    organisations = PartnerOrganisation.objects.filter(
        membership_current_q("memberships__"), memberships__user=user, memberships__role=Membership.Role.ADMIN
    ).order_by("name")
    owners += [TokenOwner(None, organisation, PARTNER_ADMIN_SCOPES) for organisation in organisations]
    return owners


def _allowed_scopes(*, user: User, vendor_id: int | None, organisation_id: int | None) -> tuple[str, ...]:
    for owner in token_owners_for(user=user):
        if (vendor_id and owner.vendor and owner.vendor.pk == vendor_id) or (
            organisation_id and owner.organisation and owner.organisation.pk == organisation_id
        ):
            return owner.scopes
    return ()


def tokens_visible_to(*, user: User) -> QuerySet[ApiToken]:
    """The tokens `user` may see and revoke: their own, and the shared tokens of the vendors and
    organisations they may make tokens for; newest first, with their makers."""
    owners = token_owners_for(user=user)
    vendor_ids = [owner.vendor.pk for owner in owners if owner.vendor]
    organisation_ids = [owner.organisation.pk for owner in owners if owner.organisation]
    shared = Q(kind=ApiToken.Kind.SHARED) & (Q(vendor_id__in=vendor_ids) | Q(organisation_id__in=organisation_ids))
    return (
        ApiToken.objects.filter(Q(user=user) | shared)
        .select_related("user", "vendor", "organisation", "revoked_by")
        .order_by("revoked_at", "-created_at")
    )


def api_token_create(
    *, user: User, owner: TokenOwner, name: str, kind: str, scopes: list[str], valid_days: int
) -> tuple[ApiToken, str]:
    """Make a token for `owner` and return it with its secret, which is never readable again.
    Scopes beyond what `user` may give `owner`, no scope, or an unknown kind or lifetime raise
    `ValidationError` and nothing is made."""
    allowed = _allowed_scopes(
        user=user,
        vendor_id=owner.vendor.pk if owner.vendor else None,
        organisation_id=owner.organisation.pk if owner.organisation else None,
    )
    if not allowed:
        raise PermissionDenied
    scopes = [scope for scope in Scope.values if scope in scopes]
    if not scopes:
        raise ValidationError(_("Choose at least one scope."), code="scopes")
    if not set(scopes) <= set(allowed):
        raise ValidationError(_("You may not give a token these scopes."), code="scopes")
    if kind not in ApiToken.Kind.values or valid_days not in EXPIRY_CHOICES:
        raise ValidationError(_("Choose a kind and a lifetime from the list."), code="invalid")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        name=name.strip()[:80] or _("API token"),
        kind=kind,
        user=user,
        vendor=owner.vendor,
        organisation=owner.organisation,
        scopes=scopes,
        prefix=secret[:PREFIX_LENGTH],
        secret_sha256=_secret_sha256(secret),
        created_at=now,
        expires_at=now + timedelta(days=valid_days),
    )
    return token, secret


def api_token_revoke(*, token_id: int, user: User) -> ApiToken:
    """Revoke one of the tokens `user` may see (`tokens_visible_to`); any other id raises
    `PermissionDenied`. Revoking twice changes nothing. Takes effect on the next call."""
    with transaction.atomic():
        token = tokens_visible_to(user=user).select_for_update(of=("self",)).filter(pk=token_id).first()
        if token is None:
            raise PermissionDenied
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = user
            token.save(update_fields=["revoked_at", "revoked_by"])
    return token


class TokenRefused(Exception):
    """A call the token does not allow; the API answers `status` with `{"error", "message"}`."""

    def __init__(self, status: int, error: str, message: str):
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


# How often a token's last use is written: a busy script should not write a row per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_token_authenticate(*, secret: str, scope: str, now=None) -> ApiToken:
    """The live token with this secret, if it holds `scope` and its maker may still give it;
    otherwise `TokenRefused` (401 for an unknown, expired or revoked token, 403 for a scope it
    lacks or may no longer hold, 429 past the per-token budget). Records the last use."""
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user").filter(secret_sha256=_secret_sha256(secret.strip())).first()
        if secret.startswith(SECRET_PREFIX)
        else None
    )
    if token is None:
        raise TokenRefused(401, "invalid_token", _("This API token is not known."))
    if token.revoked_at is not None:
        raise TokenRefused(401, "revoked_token", _("This API token was revoked."))
    if token.expires_at <= now:
        raise TokenRefused(401, "expired_token", _("This API token has expired. Make a new one."))
    if rate_limit_exceeded(scope="api-token", key=str(token.pk), limit=settings.API_TOKEN_RATE_LIMIT):
        raise TokenRefused(429, "rate_limited", _("Too many calls with this API token. Try again in a minute."))
    if scope not in token.scopes:
        raise TokenRefused(
            403, "insufficient_scope", _("This API token lacks the scope “%(scope)s”.") % {"scope": scope}
        )
    if not token.user.is_active or scope not in _allowed_scopes(
        user=token.user, vendor_id=token.vendor_id, organisation_id=token.organisation_id
    ):
        message = _("The person who made this API token may no longer give it the scope “%(scope)s”.")
        raise TokenRefused(403, "insufficient_scope", message % {"scope": scope})
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`, for one scope. A missing header is a 401 like a bad token."""

    openapi_description = gettext_lazy(
        "An API token made by vendor staff or a partner admin on the site's API tokens page "
        "(`/accounts/api-tokens/`). Each operation names the scope it needs."
    )

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header, "")
        kind, _space, secret = header.partition(" ")
        if kind.lower() != "bearer" or not secret.strip():
            raise TokenRefused(
                401, "missing_token", _("Send an API token in the header: Authorization: Bearer <token>.")
            )
        return self.authenticate(request, secret)

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        return api_token_authenticate(secret=token, scope=self.scope)


def require_token(scope: str) -> ApiTokenAuth:
    """The `auth=` of an endpoint that needs a token with `scope`; the view finds the token in
    `request.auth` and keeps to its vendor or organisation (`token.vendor_id`, `token.organisation_id`)."""
    return ApiTokenAuth(scope)


def token_refused(request: HttpRequest, exc: TokenRefused, *, api):
    """The API's answer to `TokenRefused` (registered by the API that mounts the routers)."""
    response = api.create_response(request, {"error": exc.error, "message": exc.message}, status=exc.status)
    if exc.status == 401:
        response["WWW-Authenticate"] = f'Bearer error="invalid_token", error_description="{exc.error}"'
    elif exc.status == 403:
        response["WWW-Authenticate"] = 'Bearer error="insufficient_scope"'
    elif exc.status == 429:
        response["Retry-After"] = "60"
    return response
