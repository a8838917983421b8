"""Delivery rights as portable credentials: while a partner holds a right (active, or in grace),
the right is also an Open Badges 3.0 AchievementCredential that anyone can check offline, signed
`eddsa-jcs-2022` with the platform key exactly as certificates are (`credentials.py`).

The subject is the organisation, not a person: an `AchievementSubject` that is also a `Profile`
(Open Badges 3.0 lets an organisation be a recipient), identified by its directory page
`/partners/<slug>/`, with its name and, when it has one, its website as `url`. The achievement is
"Authorised to deliver <product> in <region>", created by the product's vendor. The credential's
text is English whatever the reader's language, like the rest of what the platform signs.

Each holding period is its own credential (`DeliveryRightCredential`), because revocation in a
Bitstring Status List is final: a right that lapses is revoked for good, and when the partner
qualifies again a new credential, with a new status index, starts. Its facts are frozen when the
period starts, so the same credential gives the same JSON until the key is rotated.

Two lists, both indexed by the credential's id:
- `rights-revocation`: the bit is set in the transaction in which the right lapses;
- `rights-suspension`: the bit is set while the right is in grace ("renewal pending") and cleared
  when it is active again (a lapse clears it and sets the revocation bit instead).
The credential names only the revocation list: Open Badges 3.0 gives an AchievementCredential one
`credentialStatus`, and 1EdTech's schema refuses a list of them. That is also the platform's rule: a
partner in grace still holds the right (it is listed and offered work), so a verifier that follows
the credential alone rightly finds it valid until it lapses. Whoever wants "renewal pending" reads
the suspension list at the same index; the API documents both.

The rights engine announces every right it writes (`certifications.rights.signals.right_changed`);
`right_credential_sync` follows it inside the same transaction.
"""

from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation

from certifications.models import DeliveryRightCredential, OrganisationDeliveryRight, RightStatus
from certifications.verification.credentials import (
    OB_CONTEXT,
    VC_CONTEXT,
    credential_sign,
    issuer_profile,
    status_entry,
    xsd_datetime,
)
from certifications.verification.keys import platform_signing_key
from certifications.verification.publishing import status_list_published
from certifications.verification.status_list import status_list_url

RIGHTS_REVOCATION = "rights-revocation"
RIGHTS_SUSPENSION = "rights-suspension"
RIGHT_LISTS = {RIGHTS_REVOCATION: "revocation", RIGHTS_SUSPENSION: "suspension"}
CREDENTIALS_PATH = "/api/v1/delivery-rights/credentials/"


def right_credential_url(*, public_id: UUID | str, site_url: str | None = None) -> str:
    """The credential's own URL: where its JSON is served."""
    return f"{_site(site_url)}{CREDENTIALS_PATH}{public_id}"


def right_credential_build(*, credential: DeliveryRightCredential, site_url: str | None = None) -> dict:
    """The unsigned AchievementCredential of one holding period, from its frozen facts."""
    site = _site(site_url)
    title = f"Authorised to deliver {credential.product_name} in {credential.region_name}"
    vendor = credential.vendor_name
    subject = {
        # The public partner page (a stable URL of the platform's contract).
        "id": f"{site}/partners/{credential.organisation_slug}/",
        "type": ["AchievementSubject", "Profile"],
        "name": credential.organisation_name,
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": credential.organisation_name,
                "identityType": "name",
                "hashed": False,
            }
        ],
        "achievement": {
            # The directory listing every partner authorised for this product in this region.
            "id": f"{site}/partners/?product={credential.product_slug}&region={credential.region}",
            "type": ["Achievement"],
            "achievementType": "License",
            "name": title,
            "description": (
                f"{vendor} authorises the partner to deliver {credential.product_name} to customers in "
                f"{credential.region_name}."
            ),
            "criteria": {
                "narrative": (
                    f"The partner holds the right while at least as many of its current engineers as {vendor} "
                    f"requires hold a valid certification that {vendor} counts for {credential.product_name}; "
                    "when fewer do, it keeps the right for a grace period, then loses it."
                )
            },
            "creator": {"id": credential.vendor_website or f"{site}/partners/", "type": ["Profile"], "name": vendor},
            "tag": [credential.product_name, credential.region_name],
        },
    }
    if credential.organisation_website:
        subject["url"] = credential.organisation_website
    revocation_list = status_list_url(name=RIGHTS_REVOCATION, site_url=site)
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": right_credential_url(public_id=credential.public_id, site_url=site),
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": title,
        "issuer": issuer_profile(site_url=site),
        "validFrom": xsd_datetime(credential.issued_at),
        "credentialSubject": subject,
        "credentialStatus": status_entry(url=revocation_list, index=credential.pk),
    }


def right_credential_signed(*, credential: DeliveryRightCredential) -> dict:
    """The signed credential, its proof made at the start of the period (so it never changes)."""
    document = right_credential_build(credential=credential)
    return credential_sign(document, private_key=platform_signing_key(), created=credential.issued_at, proof_set=True)


def rights_status_list_credential(*, name: str, now: datetime | None = None) -> dict:
    """The signed `rights-revocation` or `rights-suspension` list (KeyError for another name).
    Two queries when the cached list still matches; otherwise one more and a signature."""
    purpose = RIGHT_LISTS[name]
    credentials = DeliveryRightCredential.objects.all()
    if purpose == "revocation":
        marked = credentials.filter(revoked_at__isnull=False)
    else:
        marked = credentials.filter(suspended_at__isnull=False)
    return status_list_published(
        name=name, purpose=purpose, marked=marked, every=credentials, changed="changed_at", now=now
    )


def right_credential_find(*, public_id: str) -> DeliveryRightCredential | None:
    """The credential whose id is `public_id`; None when there is none or it is not an id."""
    try:
        public_id = UUID(public_id)
    except (TypeError, ValueError):
        return None
    return DeliveryRightCredential.objects.filter(public_id=public_id).first()


def right_credential_current_prefetch() -> Prefetch:
    """For a query of rights: each right's `current_credentials`, the credential of the period it
    is in (empty once lapsed); one query for all of them."""
    return Prefetch("credentials", queryset=DeliveryRightCredential.objects.current(), to_attr="current_credentials")


def right_credential_sync(*, right: OrganisationDeliveryRight, now: datetime) -> DeliveryRightCredential | None:
    """Bring the right's credential and status bits in line with the right as just written, in
    the caller's transaction: a right held without a credential gets one for a period starting
    when it became active; grace sets the suspension bit, active clears it; a lapse revokes the
    credential (and clears its suspension). Returns the current credential, None once lapsed.
    One query when nothing changes."""
    current = DeliveryRightCredential.objects.current().filter(right_id=right.pk).first()
    if right.status == RightStatus.LAPSED:
        if current is not None:
            current.revoked_at, current.suspended_at = now, None
            current.save(update_fields=["revoked_at", "suspended_at", "changed_at"])
        return None
    if current is None:
        current = _credential_open(right=right, now=now)
    in_grace = right.status == RightStatus.GRACE
    if in_grace != (current.suspended_at is not None):
        current.suspended_at = now if in_grace else None
        current.save(update_fields=["suspended_at", "changed_at"])
    return current


def _credential_open(*, right: OrganisationDeliveryRight, now: datetime) -> DeliveryRightCredential:
    right = OrganisationDeliveryRight.objects.select_related("organisation", "product__vendor").get(pk=right.pk)
    organisation, product = right.organisation, right.product
    with translation.override("en"):
        region_name = str(organisation.get_region_display())
    return DeliveryRightCredential.objects.create(
        right=right,
        organisation_name=organisation.name,
        organisation_slug=organisation.slug,
        organisation_website=organisation.website,
        product_name=product.name,
        product_slug=product.slug,
        vendor_name=product.vendor.name,
        vendor_website=product.vendor.website,
        region=organisation.region,
        region_name=region_name,
        issued_at=right.active_since or now,
    )


def _site(site_url: str | None) -> str:
    return (site_url or settings.SITE_URL).rstrip("/")
