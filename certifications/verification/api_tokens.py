"""The certificate endpoints that need an API token (`community.api_tokens.require_token`):
listing a vendor's or a partner organisation's certificates, and revoking one. A vendor's token
reaches that vendor's certificates only; another vendor's serial is a 404, as an unknown one."""

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from certifications.certificates.lifecycle import certificate_revoke
from certifications.models import Certificate
from certifications.verification.api import CertificateOut, SerialPath, certificate_lookup_error, certificate_out
from certifications.verification.lookup import certificates_public
from community.api_errors import TOKEN_ERRORS, ErrorOut, InvalidRequestOut, PageNotFound
from community.api_pagination import PageQuery, paginated
from community.api_tokens import Scope, require_token
from community.errors import error_text
from community.models import ApiToken, Membership

router = Router(tags=["certificates"])

PAGE_SIZE = 100


class HeldCertificateOut(CertificateOut):
    holder_email: str = Field(description="The holder's e-mail address, which the public look-up never shows.")


class CertificatesPage(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[HeldCertificateOut]


class RevocationIn(Schema):
    reason: Literal[tuple(Certificate.RevocationReason.values)] = Field(description="Why it is revoked.")
    note: str = Field(max_length=2000, description="What happened, kept in the certificate's audit record.")


class RevokeErrorOut(Schema):
    error: Literal["invalid", "already_revoked"]
    message: str


def certificates_for_token(token: ApiToken):
    """What a token reads: its vendor's certificates, or those of its organisation's current members."""
    certificates = certificates_public().select_related("holder").order_by("-issued_at", "-pk")
    if token.vendor_id:
        return certificates.filter(vendor_id=token.vendor_id)
    members = Membership.objects.current().filter(organisation_id=token.organisation_id).values("user_id")
    return certificates.filter(holder_id__in=members)


def _held_out(certificate) -> dict:
    return {**certificate_out(certificate), "holder_email": certificate.holder.email}


@router.get(
    "/certificates",
    response={200: CertificatesPage, 404: PageNotFound, 422: InvalidRequestOut, **TOKEN_ERRORS},
    auth=require_token(Scope.READ_CERTIFICATES),
    url_name="certificate_list",
    operation_id="certifications_api_certificate_list",
    summary="The certificates a token's vendor issued, or its organisation's engineers hold",
)
def certificate_list(request: HttpRequest, query: Query[PageQuery]):
    """Needs scope `read_certificates`. A vendor's token lists every certificate the vendor issued;
    a partner organisation's token, the certificates of its current members. Newest first, 100 a
    page, each with the holder's e-mail address."""
    return paginated(request, certificates_for_token(request.auth), page=query.page, size=PAGE_SIZE, out=_held_out)


@router.post(
    "/certificates/{serial}/revoke",
    response={200: CertificateOut, 400: ErrorOut | RevokeErrorOut, 404: ErrorOut, 409: RevokeErrorOut, **TOKEN_ERRORS},
    auth=require_token(Scope.REVOKE),
    url_name="certificate_revoke",
    operation_id="certifications_api_certificate_revoke",
    summary="Revoke a certificate",
)
def certificate_revoke_endpoint(request: HttpRequest, serial: SerialPath, body: RevocationIn):
    """Needs scope `revoke`, on a vendor's token; only that vendor's certificates. Revokes as the
    programme managers' page does (the holder is told, the rights are recomputed, verification says
    "revoked" at once) in the name of the person who made the token. A note is required; revoking a
    revoked certificate is a 409."""
    certificate, error = certificate_lookup_error(serial)
    if error:
        return error
    if certificate.vendor_id != request.auth.vendor_id:
        message = _("No certificate has this serial.")
        return Status(404, {"error": "not_found", "message": message, "serial": certificate.serial})
    try:
        certificate_revoke(certificate=certificate, reason=body.reason, note=body.note, revoked_by=request.auth.user)
    except ValidationError as refusal:
        code = "already_revoked" if refusal.code == "revoked" else "invalid"
        return Status(400 if code == "invalid" else 409, {"error": code, "message": error_text(refusal)})
    certificate, _error = certificate_lookup_error(certificate.serial)
    return certificate_out(certificate)
