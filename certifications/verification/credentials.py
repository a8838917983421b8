"""Certificates as portable credentials: Open Badges 3.0 credentials (W3C Verifiable Credentials 2.0)
secured with a Data Integrity proof of the `eddsa-jcs-2022` cryptosuite, so anyone holding the JSON
and the platform's public key can check it offline.

The proof follows the W3C "Data Integrity EdDSA Cryptosuites v1.0" recommendation: the document
without `proof` and the proof configuration (the proof options with the document's `@context`) are
each canonicalised with the JSON Canonicalization Scheme (RFC 8785), hashed with SHA-256, and the
proof-configuration hash followed by the document hash is signed with Ed25519. `proofValue` is the
signature in multibase base58-btc. The emitted proof is that configuration plus `proofValue`, as in
the specification's own signed example: a verifier rebuilds what was signed from the proof alone.

Open Badges 3.0 asks for `proof` as an array (the 1EdTech JSON schema requires it), so certificate
credentials carry a Data Integrity proof set of one; for a set, each proof signs the document
without `proof`, so the signature is the same as for a lone proof. Proofs made before the proof
kept its `@context` still verify here: the document's `@context` stands in for the missing one.

Revocation is not in the credential itself: `credentialStatus` points at a bit in a Bitstring
Status List (see `certifications/verification/status_list.py`) that the platform publishes and re-signs.
"""

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from certifications.verification.keys import (
    key_document_url,
    multibase_decode,
    multibase_encode,
    verification_method_id,
)

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_PURPOSE = "assertionMethod"
ISSUER_NAME = "Partner Academy"


def xsd_datetime(moment: datetime) -> str:
    """`moment` as the UTC `dateTimeStamp` the VC data model asks for, to the second."""
    if moment.tzinfo is None:
        raise ValueError("credential dates must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def credential_id(*, serial: str, site_url: str | None = None) -> str:
    """The credential's own URL: where its JSON is served."""
    return f"{_site(site_url)}/api/v1/certificates/{serial}/credential"


def issuer_profile(*, site_url: str | None = None) -> dict:
    """The platform as an Open Badges issuer. Its id is the key document's URL, so the issuer and the
    controller of the signing key are one and the same identifier."""
    site = _site(site_url)
    return {"id": key_document_url(site_url=site), "type": ["Profile"], "name": ISSUER_NAME, "url": site}


def status_entry(*, url: str, index: int, purpose: str = "revocation") -> dict:
    """A `credentialStatus`: bit `index` of the Bitstring Status List published at `url`."""
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def credential_build(
    *,
    serial: str,
    holder_name: str,
    certification_name: str,
    certification_description: str,
    certification_url: str,
    vendor_name: str,
    vendor_url: str,
    products: Sequence[str],
    valid_from: datetime,
    valid_until: datetime | None,
    status_list_url: str,
    status_index: int,
    site_url: str | None = None,
    evidence: Sequence[dict] = (),
) -> dict:
    """The unsigned OpenBadgeCredential for one certificate. The holder is named, not e-mailed: the
    subject carries only the name as printed on the certificate. `credentialStatus` is a revocation
    `BitstringStatusListEntry` at `status_index` of the list published at `status_list_url`.
    `evidence` (Open Badges `Evidence` objects) says how it was earned where that is not an exam
    here, as for a certificate imported from the vendor's previous system."""
    site = _site(site_url)
    document = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id(serial=serial, site_url=site),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certification_name,
        "issuer": issuer_profile(site_url=site),
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityHash": holder_name, "identityType": "name", "hashed": False}
            ],
            "achievement": {
                "id": certification_url,
                "type": ["Achievement"],
                "achievementType": "Certification",
                "name": certification_name,
                "description": certification_description,
                "criteria": {"id": certification_url},
                "creator": {"id": vendor_url, "type": ["Profile"], "name": vendor_name},
                "tag": list(products),
            },
        },
        "credentialStatus": status_entry(url=status_list_url, index=status_index),
    }
    if valid_until is not None:
        document["validUntil"] = xsd_datetime(valid_until)
    if evidence:
        document["evidence"] = list(evidence)
    return document


def credential_sign(
    document: dict,
    *,
    private_key: Ed25519PrivateKey,
    created: datetime,
    proof_set: bool = False,
    site_url: str | None = None,
) -> dict:
    """A copy of `document` with an `eddsa-jcs-2022` DataIntegrityProof made by `private_key`, whose
    `verificationMethod` is that key in the platform's key document. Any existing proof is replaced.
    With `proof_set`, `proof` is an array holding that one proof (what Open Badges 3.0 requires)."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created),
        "verificationMethod": verification_method_id(public_key=private_key.public_key(), site_url=site_url),
        "proofPurpose": PROOF_PURPOSE,
    }
    if "@context" in unsecured:
        options["@context"] = unsecured["@context"]
    signature = private_key.sign(_hash_data(unsecured, options))
    proof = {**options, "proofValue": multibase_encode(signature)}
    return {**unsecured, "proof": [proof] if proof_set else proof}


def credential_verify(document: dict, public_key: Ed25519PublicKey) -> bool:
    """Whether `document` carries a valid `eddsa-jcs-2022` proof by `public_key` over exactly its
    current content: its one proof, or every proof of its proof set. Checks the signature only:
    expiry (`validUntil`) and revocation are the caller's next questions."""
    if not isinstance(document, dict):
        return False
    proofs = document.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    return bool(proofs) and all(_proof_verify(unsecured, proof, public_key) for proof in proofs)


def _proof_verify(unsecured: dict, proof, public_key: Ed25519PublicKey) -> bool:
    if not isinstance(proof, dict):
        return False
    unsecured = dict(unsecured)
    options = dict(proof)
    proof_value = options.pop("proofValue", None)
    if (options.get("type"), options.get("cryptosuite")) != (PROOF_TYPE, CRYPTOSUITE):
        return False
    if options.get("proofPurpose") != PROOF_PURPOSE:
        return False
    if "@context" in options:
        # A proof may carry its own @context only as a prefix of the document's.
        proof_context = _as_list(options["@context"])
        if _as_list(unsecured.get("@context"))[: len(proof_context)] != proof_context:
            return False
        unsecured["@context"] = options["@context"]
    try:
        public_key.verify(multibase_decode(proof_value), _hash_data(unsecured, options))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _hash_data(unsecured: dict, options: dict) -> bytes:
    proof_config = {**options, "@context": unsecured.get("@context")}
    return hashlib.sha256(rfc8785.dumps(proof_config)).digest() + hashlib.sha256(rfc8785.dumps(unsecured)).digest()


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _site(site_url: str | None) -> str:
    return (site_url or settings.SITE_URL).rstrip("/")
