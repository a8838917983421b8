"""What the platform publishes so certificates can be checked offline: each certificate as a signed
Open Badges 3.0 credential, the revocation status list they all point to, and the public key.

A certificate's credential is built from the facts frozen on it at issue and signed with its issue
time as the proof's `created`; Ed25519 signatures are deterministic, so the same certificate gives
the same JSON on every request until the key is rotated. Nothing is stored, so a change to the
credential's form reaches every certificate, however long ago it was issued. Its `proof` is a proof
set of one, as Open Badges 3.0 asks; its `credentialStatus` names bit `certificate.pk` of the
revocation list.

The status list is rebuilt from the revoked certificates whenever they change. Rather than trust a
signal to reach every process, each request asks the database for a fingerprint of the revocations
(the count and the sum of the revoked certificates' ids, and the highest id) and reuses
the signed list cached under that fingerprint; so a revocation shows at once, however it was written.
"""

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from certifications.models import Certificate
from certifications.verification.credentials import credential_build, credential_sign
from certifications.verification.keys import key_document, platform_signing_key, public_key_multibase
from certifications.verification.status_list import (
    STATUS_LIST_MIN_BITS,
    STATUS_PURPOSE,
    StatusList,
    status_list_credential_build,
    status_list_url,
)

# How long a verifier may keep a copy of the status list before fetching it again.
STATUS_LIST_VALIDITY = timedelta(hours=24)
# How long this process keeps a signed list for an unchanged fingerprint; shorter than the
# validity, so what it serves is never close to its own `validUntil`.
STATUS_LIST_CACHE_SECONDS = 60 * 60
# Part of the cache key, with the signing key: a list cached by a process that signed another form
# (before proofs kept their @context) or with another key is never served for this one's.
STATUS_LIST_FORM = "proof-with-context"


def certificate_credential(*, certificate: Certificate, request: HttpRequest | None = None) -> dict:
    """The signed OpenBadgeCredential of `certificate` (with `certification` and `vendor` loaded).
    Valid from the moment of issue until the start of the expiry day, UTC, matching the page that
    calls a certificate expired on that day; an imported one is valid from the start of its
    original issue day and says in its `evidence` that it was imported."""
    site = settings.SITE_URL.rstrip("/")
    page_url = certificate.certification.get_url(request=request) or "/certifications/"
    document = credential_build(
        serial=certificate.serial,
        holder_name=certificate.holder_name,
        certification_name=certificate.certification_title,
        certification_description=certificate.certification.summary,
        certification_url=page_url if page_url.startswith("http") else f"{site}{page_url}",
        vendor_name=certificate.vendor_name,
        vendor_url=certificate.vendor.website or f"{site}/certifications/",
        products=list(certificate.product_names),
        valid_from=certificate.issued_at,
        valid_until=datetime.combine(certificate.expires_on, time.min, tzinfo=UTC),
        status_list_url=status_list_url(name=STATUS_PURPOSE),
        status_index=certificate.pk,
        evidence=[imported_evidence(certificate)] if certificate.imported_at else (),
    )
    return credential_sign(document, private_key=platform_signing_key(), created=certificate.issued_at, proof_set=True)


def imported_evidence(certificate: Certificate) -> dict:
    """The `Evidence` of an imported certificate: issued by the vendor in its previous system on
    its original date, recorded here later. In English, like the rest of the credential."""
    return {
        "type": ["Evidence"],
        "name": "Imported",
        "narrative": (
            f"Issued by {certificate.vendor_name} on {certificate.issued_on.isoformat()} in its previous "
            f"certification system; imported into Partner Academy on {certificate.imported_at.date().isoformat()}."
        ),
    }


def platform_key_document() -> dict:
    """The controlled identifier document naming the platform's current public key."""
    return key_document(public_keys=[platform_signing_key().public_key()])


def revocation_status_list_credential(*, now: datetime | None = None) -> dict:
    """The signed BitstringStatusListCredential with a bit set for every revoked certificate.
    Two indexed queries when the cached list still matches the revocations; otherwise one more to
    read the revoked indices, and a fresh signature."""
    return status_list_published(
        name=STATUS_PURPOSE,
        purpose=STATUS_PURPOSE,
        marked=Certificate.objects.filter(status=Certificate.Status.REVOKED),
        every=Certificate.objects.all(),
        now=now,
    )


def status_list_published(
    *, name: str, purpose: str, marked: QuerySet, every: QuerySet, changed: str | None = None, now: datetime | None
) -> dict:
    """The signed list called `name` with `purpose`, with a bit set at the primary key of each row
    of `marked`, long enough for every row of `every`, and cached under a fingerprint of both.
    A list whose bits are only ever set is told apart by the count and sum of its marked ids; one
    whose bits are also cleared names in `changed` a field of `every` that each change moves on."""
    # Two cheap reads rather than one scan: which rows are marked (count and sum of ids, read
    # from an index alone) and the highest id (from the primary key).
    marks = marked.aggregate(count=Count("pk"), sum=Sum("pk"))
    latest = every.aggregate(last_pk=Max("pk"), **({"changed": Max(changed)} if changed else {}))
    size = _list_size(latest["last_pk"] or 0)
    signer = public_key_multibase(platform_signing_key().public_key())
    fingerprint = f"{name}:{purpose}:{size}:{marks['count']}:{marks['sum'] or 0}"
    if changed:
        fingerprint += f":{latest['changed'].isoformat() if latest['changed'] else ''}"
    cache_key = f"certifications:status-list:{STATUS_LIST_FORM}:{signer}:{fingerprint}"
    document = cache.get(cache_key)
    if document is None:
        document = _status_list_sign(name=name, purpose=purpose, marked=marked, size=size, now=now or timezone.now())
        cache.set(cache_key, document, STATUS_LIST_CACHE_SECONDS)
    return document


def _list_size(last_pk: int) -> int:
    """Bits enough for every row's index, in steps of the minimum size so the list grows
    rarely and its length says little about how many certificates exist."""
    steps = last_pk // STATUS_LIST_MIN_BITS + 1
    return steps * STATUS_LIST_MIN_BITS


def _status_list_sign(*, name: str, purpose: str, marked: QuerySet, size: int, now: datetime) -> dict:
    status_list = StatusList(size)
    for index in marked.values_list("pk", flat=True).iterator():
        if index < size:
            status_list.set(index)
    document = status_list_credential_build(
        status_list=status_list,
        url=status_list_url(name=name),
        purpose=purpose,
        valid_from=now,
        valid_until=now + STATUS_LIST_VALIDITY,
    )
    return credential_sign(document, private_key=platform_signing_key(), created=now)
