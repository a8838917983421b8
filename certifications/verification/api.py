"""The certificate endpoints of the public JSON API (`partners.api` mounts them at `/api/v1/`).

Anyone may call them, signed in or not. Certificate look-ups answer with the facts a certificate
prints and nothing private (no e-mail address, no internal id), and share the verification
pages' per-address budget. The credential, key and status-list endpoints are what an offline
verifier fetches: their URLs are the ones written into every credential, so they stay put. Delivery
rights' credentials (`right_credentials`) are served and listed here beside the certificates'.
"""

from datetime import date
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status
from pydantic import WithJsonSchema

from certifications.certificates.pdf import certificate_verification_url
from certifications.certificates.serials import SERIAL_EXAMPLE, SERIAL_PATTERN
from certifications.verification.credentials import credential_id
from certifications.verification.lookup import (
    LookupStatus,
    certificate_lookup,
    certificate_public_status,
    lookup_rate_exceeded,
)
from certifications.verification.publishing import (
    certificate_credential,
    platform_key_document,
    revocation_status_list_credential,
)
from certifications.verification.right_credentials import (
    RIGHT_LISTS,
    right_credential_find,
    right_credential_signed,
    rights_status_list_credential,
)
from certifications.verification.status_list import STATUS_PURPOSE
from community.api_errors import ErrorOut

router = Router()

# Verifiers may keep the key document and status list this long before asking again.
PUBLISHED_MAX_AGE = 300


class RevocationOut(Schema):
    revoked_on: date
    reason: str
    reason_label: str


class CertificateOut(Schema):
    serial: str
    status: Literal["valid", "expired", "revoked"]
    holder_name: str
    certification: str
    vendor: str
    products: list[str]
    issued_on: date
    expires_on: date
    imported: bool = Field(description="Issued by the vendor in its previous system and imported, on `issued_on`.")
    imported_on: date | None
    revocation: RevocationOut | None
    verification_url: str
    credential_url: str


# The look-up, not the schema, refuses a serial outside the pattern or whose check character is
# wrong (which no pattern can say; hence the format): with a 400 that says "malformed" or
# "mistyped", as the document lists, rather than a 422 about a regular expression.
SerialPath = Annotated[
    str,
    WithJsonSchema({"type": "string", "format": "certificate-serial", "pattern": SERIAL_PATTERN}),
    Path(
        description=(
            "The certificate's serial, such as the example. Case, spaces and dashes do not matter, "
            "the PA prefix may be left out, and the last character checks the others: a serial "
            "outside the pattern is a 400 `malformed`, one whose check fails a 400 `mistyped`."
        ),
        example=SERIAL_EXAMPLE,
    ),
]


# Documented as the lists there are; any other name is still answered, with a 404.
StatusListName = Annotated[str, WithJsonSchema({"type": "string", "enum": [STATUS_PURPOSE, *RIGHT_LISTS]}), Path()]

# Any text is answered: what is not a credential's id is a 404 like an unknown one.
RightCredentialId = Annotated[
    str,
    WithJsonSchema({"type": "string", "format": "uuid"}),
    Path(description="The credential's id, as in its own `id` URL.", example="4b1c0c2e-4bb4-4a49-9d5b-2f0f3b1c6a3e"),
]


class RateLimited(Exception):
    pass


def rate_limited(request, exc, *, api):
    """The API's answer to `RateLimited` (registered by the API that mounts this router)."""
    body = {"error": "rate_limited", "message": _("Too many look-ups from your address. Try again in a minute.")}
    response = api.create_response(request, body, status=429)
    response["Retry-After"] = "60"
    return response


def certificate_out(certificate) -> dict:
    """A certificate as `CertificateOut`: the facts it prints, nothing private."""
    status = certificate_public_status(certificate)
    revocation = None
    if status == "revoked":
        revocation = {
            "revoked_on": certificate.revoked_at.date(),
            "reason": certificate.revocation_reason or "other",
            "reason_label": certificate.get_revocation_reason_display() or _("Other"),
        }
    return {
        "serial": certificate.serial,
        "status": status.value,
        "holder_name": certificate.holder_name,
        "certification": certificate.certification_title,
        "vendor": certificate.vendor_name,
        "products": list(certificate.product_names),
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "imported": certificate.imported_at is not None,
        "imported_on": certificate.imported_at.date() if certificate.imported_at else None,
        "revocation": revocation,
        "verification_url": certificate_verification_url(serial=certificate.serial),
        "credential_url": credential_id(serial=certificate.serial),
    }


def certificate_lookup_error(serial: str):
    """The certificate for `serial`, or the 400/404 to answer with instead (no rate limit)."""
    lookup = certificate_lookup(text=serial)
    if lookup.status is LookupStatus.MALFORMED:
        return None, Status(400, {"error": "malformed", "message": _("This is not a certificate serial.")})
    if lookup.status is LookupStatus.MISTYPED:
        message = _("This serial is mistyped: its check character does not match. Check it against the certificate.")
        return None, Status(400, {"error": "mistyped", "message": message, "serial": lookup.serial})
    if lookup.status is LookupStatus.UNKNOWN:
        message = _("No certificate has this serial.")
        return None, Status(404, {"error": "not_found", "message": message, "serial": lookup.serial})
    return lookup.certificate, None


def _lookup(request: HttpRequest, serial: str):
    """The certificate for `serial`, or the error to answer with instead."""
    if lookup_rate_exceeded(request):
        raise RateLimited
    return certificate_lookup_error(serial)


@router.get(
    "/certificates/{serial}",
    response={200: CertificateOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    url_name="certificate_detail",
    operation_id="certifications_api_certificate_detail",
    summary="Verify a certificate",
    tags=["certificates"],
)
def certificate_detail(request: HttpRequest, response: HttpResponse, serial: SerialPath):
    """Status (valid, expired or revoked), holder's name as printed, certification, vendor,
    products and dates of the certificate with this serial. Case, spaces and dashes in the
    serial do not matter; a serial whose check character is wrong is reported as mistyped."""
    # Public facts: any site may show them, say next to a partner's claim of certification.
    response["Access-Control-Allow-Origin"] = "*"
    certificate, error = _lookup(request, serial)
    if error:
        return error
    return certificate_out(certificate)


@router.get(
    "/certificates/{serial}/credential",
    response={200: dict, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    url_name="certificate_credential",
    operation_id="certifications_api_certificate_credential_detail",
    summary="The certificate as a signed Open Badges 3.0 credential",
    tags=["credentials"],
)
def certificate_credential_detail(request: HttpRequest, serial: SerialPath):
    """The certificate as an OpenBadgeCredential (W3C Verifiable Credential 2.0) with an
    `eddsa-jcs-2022` proof by the key in `/api/v1/keys/platform.json`, and a `credentialStatus`
    entry in the revocation list. Revoked and expired certificates are served too: the status
    list and `validUntil` say so."""
    certificate, error = _lookup(request, serial)
    if error:
        return error
    credential = certificate_credential(certificate=certificate, request=request)
    return _published(credential)


@router.get(
    "/delivery-rights/credentials/{credential_id}",
    response={200: dict, 404: ErrorOut},
    url_name="right_credential",
    operation_id="certifications_api_right_credential_detail",
    summary="A delivery right as a signed Open Badges 3.0 credential",
    tags=["credentials"],
)
def right_credential_detail(request: HttpRequest, credential_id: RightCredentialId):
    """One period in which a partner held a delivery right, as an AchievementCredential (W3C
    Verifiable Credential 2.0) whose subject is the organisation, with an `eddsa-jcs-2022` proof
    by the key in `/api/v1/keys/platform.json`. Its `credentialStatus` is bit N of
    `/api/v1/status-lists/rights-revocation`, set once the right lapsed; bit N of
    `/api/v1/status-lists/rights-suspension` is set while the right is in its grace period
    (renewal pending). A right held again after a lapse is a new credential."""
    credential = right_credential_find(public_id=credential_id)
    if credential is None:
        return Status(404, {"error": "not_found", "message": _("No delivery-right credential has this id.")})
    return _published(right_credential_signed(credential=credential))


@router.get(
    "/keys/platform.json",
    response={200: dict},
    url_name="platform_key",
    operation_id="certifications_api_platform_key",
    summary="The platform's public signing key",
    tags=["credentials"],
)
def platform_key(request: HttpRequest):
    """A controlled identifier document (W3C CID 1.0) listing the Ed25519 key that signs every
    credential, as a Multikey."""
    return _published(platform_key_document(), max_age=PUBLISHED_MAX_AGE)


@router.get(
    "/status-lists/{name}",
    response={200: dict, 404: ErrorOut},
    url_name="status_list",
    operation_id="certifications_api_status_list",
    summary="A status list of certificates or delivery rights",
    tags=["credentials"],
)
def status_list(request: HttpRequest, name: StatusListName):
    """A signed BitstringStatusListCredential. `revocation`: bit N is set when the certificate
    whose credential names `statusListIndex` N is revoked. `rights-revocation`: bit N is set
    when the delivery right whose credential names N has lapsed. `rights-suspension`: bit N is
    set while that right is in its grace period (renewal pending)."""
    if name == STATUS_PURPOSE:
        return _published(revocation_status_list_credential(), max_age=PUBLISHED_MAX_AGE)
    if name in RIGHT_LISTS:
        return _published(rights_status_list_credential(name=name), max_age=PUBLISHED_MAX_AGE)
    return Status(404, {"error": "not_found", "message": _("There is no status list of that name.")})


def _published(document: dict, *, max_age: int | None = None) -> JsonResponse:
    """JSON for verifiers anywhere, browser scripts of other sites included."""
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    if max_age is not None:
        response["Cache-Control"] = f"public, max-age={max_age}"
    return response
