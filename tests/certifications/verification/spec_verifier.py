"""A second `eddsa-jcs-2022` verifier, written from the W3C "Data Integrity EdDSA Cryptosuites v1.0"
recommendation (section 3.3, eddsa-jcs-2022) and Data Integrity 1.0 (proof sets), sharing no code
with `certifications/`: its own JSON Canonicalization Scheme, base58 and Multikey decoding. It
checks what a verifier elsewhere would check, so the platform's own verifier cannot agree with its
own signer by sharing a mistake. `tests/certifications/verification/test_outside_checks.py` first runs it on the
specification's published test vector."""

import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

BASE58_BTC = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_MULTICODEC = b"\xed\x01"


def jcs(value) -> bytes:
    """RFC 8785 for the JSON this suite meets (no floats): members sorted by their UTF-16 code
    units, no insignificant whitespace, strings escaped as ECMAScript's JSON.stringify does."""
    return _jcs(value).encode("utf-8")


def _jcs(value) -> str:
    if isinstance(value, dict):
        members = sorted(value.items(), key=lambda item: item[0].encode("utf-16-be"))
        return "{" + ",".join(f"{_jcs(name)}:{_jcs(member)}" for name, member in members) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_jcs(item) for item in value) + "]"
    if isinstance(value, float):
        raise ValueError("floats are outside what this verifier canonicalises")
    return json.dumps(value, ensure_ascii=False)


def base58btc_decode(text: str) -> bytes:
    if not text.startswith("z"):
        raise ValueError("not multibase base58-btc")
    body = text[1:]
    number = 0
    for char in body:
        number = number * 58 + BASE58_BTC.index(char)
    leading = len(body) - len(body.lstrip("1"))
    return b"\0" * leading + (number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b"")


def multikey_public_key(public_key_multibase: str) -> Ed25519PublicKey:
    data = base58btc_decode(public_key_multibase)
    if data[:2] != ED25519_MULTICODEC or len(data) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def hash_data(unsecured: dict, proof_options: dict) -> bytes:
    """Sections 3.3.3 to 3.3.5: SHA-256 of the canonical proof configuration, then of the document."""
    if proof_options.get("type") != "DataIntegrityProof" or proof_options.get("cryptosuite") != "eddsa-jcs-2022":
        raise ValueError("not an eddsa-jcs-2022 DataIntegrityProof")
    return hashlib.sha256(jcs(proof_options)).digest() + hashlib.sha256(jcs(unsecured)).digest()


def proof_verify(secured: dict, proof: dict, public_key: Ed25519PublicKey) -> bool:
    """Section 3.3.2, Verify Proof (eddsa-jcs-2022), for `proof` of `secured`."""
    unsecured = {name: value for name, value in secured.items() if name != "proof"}
    options = {name: value for name, value in proof.items() if name != "proofValue"}
    if "@context" in options:
        document_context = secured.get("@context")
        document_context = document_context if isinstance(document_context, list) else [document_context]
        proof_context = options["@context"] if isinstance(options["@context"], list) else [options["@context"]]
        if document_context[: len(proof_context)] != proof_context:
            return False
        unsecured["@context"] = options["@context"]
    try:
        public_key.verify(base58btc_decode(proof["proofValue"]), hash_data(unsecured, options))
    except (InvalidSignature, KeyError, ValueError):
        return False
    return True


def document_verify(secured: dict, key_for) -> bool:
    """Every proof of `secured` (a map, or a proof set as Data Integrity allows) verifies, with the
    public key `key_for(verification_method_id)` finds, for the assertionMethod purpose."""
    proofs = secured.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    if not proofs or not all(isinstance(proof, dict) for proof in proofs):
        return False
    return all(
        proof.get("proofPurpose") == "assertionMethod"
        and proof_verify(secured, proof, key_for(proof["verificationMethod"]))
        for proof in proofs
    )
