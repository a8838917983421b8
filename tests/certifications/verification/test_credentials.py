import copy
import json
import re
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certifications.verification.credentials import (
    CRYPTOSUITE,
    credential_build,
    credential_sign,
    credential_verify,
)
from certifications.verification.keys import (
    key_document_url,
    multibase_decode,
    public_key_from_multibase,
    public_key_multibase,
)

SITE_URL = "https://academy.example.com"
STATUS_LIST_URL = f"{SITE_URL}/api/v1/status-lists/revocation"
SIGNED_AT = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)

# The eddsa-jcs-2022 test vector of the W3C "Data Integrity EdDSA Cryptosuites v1.0" specification
# (TestVectors/eddsa-jcs-2022/signedJCS.json and keyPair.json): a credential signed elsewhere.
W3C_PUBLIC_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"]
W3C_SIGNED = {
    "@context": W3C_CONTEXT,
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    "proof": {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": "https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "proofPurpose": "assertionMethod",
        "@context": W3C_CONTEXT,
        "proofValue": "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4",
    },
}


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.generate()


def unsigned(**changes) -> dict:
    fields = {
        "serial": "PA-7K3M-9QX2-WD4F",
        "holder_name": "王小明",
        "certification_name": "Certified Cloud Network Engineer",
        "certification_description": "Designs, deploys and operates Northwind SD-WAN and firewall estates.",
        "certification_url": f"{SITE_URL}/certifications/northwind/cloud-network-engineer/",
        "vendor_name": "Northwind Networks",
        "vendor_url": f"{SITE_URL}/vendors/northwind/",
        "products": ["Northwind SD-WAN", "Northwind Edge Firewall"],
        "valid_from": datetime(2026, 11, 22, 8, 0, tzinfo=UTC),
        "valid_until": datetime(2028, 11, 22, 8, 0, tzinfo=UTC),
        "status_list_url": STATUS_LIST_URL,
        "status_index": 94567,
        "site_url": SITE_URL,
    }
    return credential_build(**{**fields, **changes})


@pytest.fixture(scope="module")
def signed(key):
    return credential_sign(unsigned(), private_key=key, created=SIGNED_AT, site_url=SITE_URL)


def leaf_paths(node, path=()):
    """Every path to a scalar value, through dicts and lists."""
    if isinstance(node, dict):
        for name, value in node.items():
            yield from leaf_paths(value, (*path, name))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaf_paths(value, (*path, index))
    else:
        yield path


def member_paths(node, path=()):
    """Every path to a dict member, at any depth."""
    if isinstance(node, dict):
        for name, value in node.items():
            yield (*path, name)
            yield from member_paths(value, (*path, name))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from member_paths(value, (*path, index))


def changed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    return f"{value}x"


def at(document, path):
    for step in path[:-1]:
        document = document[step]
    return document


def test_a_signed_credential_verifies(signed, key):
    assert credential_verify(signed, key.public_key())


def test_it_does_not_verify_with_another_key(signed):
    assert not credential_verify(signed, Ed25519PrivateKey.generate().public_key())


def test_changing_any_field_at_any_depth_breaks_the_signature(signed, key):
    paths = list(leaf_paths(signed))
    assert ("credentialSubject", "achievement", "creator", "name") in paths
    assert ("credentialSubject", "identifier", 0, "identityHash") in paths
    assert ("proof", "created") in paths and ("credentialStatus", "statusListIndex") in paths
    for path in paths:
        tampered = copy.deepcopy(signed)
        parent = at(tampered, path)
        parent[path[-1]] = changed(parent[path[-1]])
        assert not credential_verify(tampered, key.public_key()), path


def test_removing_any_member_breaks_the_signature(signed, key):
    # Except the proof's @context: without it the proof is one made before proofs kept it (the
    # document's @context stands in, and that is what was signed); see the test below.
    for path in member_paths(signed):
        if path == ("proof", "@context"):
            continue
        tampered = copy.deepcopy(signed)
        del at(tampered, path)[path[-1]]
        assert not credential_verify(tampered, key.public_key()), path


def test_adding_a_member_breaks_the_signature(signed, key):
    for target in [(), ("credentialSubject",), ("credentialSubject", "achievement"), ("proof",)]:
        tampered = copy.deepcopy(signed)
        node = tampered
        for step in target:
            node = node[step]
        node["extra"] = "added later"
        assert not credential_verify(tampered, key.public_key()), target


def test_key_order_and_whitespace_do_not_matter(signed, key):
    """JCS canonicalisation: the same JSON re-serialised differently still verifies."""
    reordered = json.loads(json.dumps(signed, indent=3, sort_keys=True, ensure_ascii=True))
    reordered = dict(reversed(list(reordered.items())))
    assert credential_verify(reordered, key.public_key())


def test_proof_has_the_data_integrity_fields(signed, key):
    proof = signed["proof"]
    assert set(proof) == {
        "@context",
        "type",
        "cryptosuite",
        "created",
        "verificationMethod",
        "proofPurpose",
        "proofValue",
    }
    assert proof["@context"] == signed["@context"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == CRYPTOSUITE == "eddsa-jcs-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["created"] == "2026-11-22T09:30:00Z"
    assert proof["verificationMethod"] == (
        f"{SITE_URL}/api/v1/keys/platform.json#{public_key_multibase(key.public_key())}"
    )
    assert proof["proofValue"].startswith("z")
    assert len(multibase_decode(proof["proofValue"])) == 64


def test_credential_is_an_open_badge_with_a_revocation_status_entry(signed):
    assert signed["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert signed["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert signed["id"] == f"{SITE_URL}/api/v1/certificates/PA-7K3M-9QX2-WD4F/credential"
    assert signed["issuer"] == {
        "id": key_document_url(site_url=SITE_URL),
        "type": ["Profile"],
        "name": "Partner Academy",
        "url": SITE_URL,
    }
    assert (signed["validFrom"], signed["validUntil"]) == ("2026-11-22T08:00:00Z", "2028-11-22T08:00:00Z")
    subject = signed["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"] == [
        {"type": "IdentityObject", "identityHash": "王小明", "identityType": "name", "hashed": False}
    ]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "Certified Cloud Network Engineer"
    assert {"id", "description", "criteria", "creator"} <= set(achievement)
    assert achievement["tag"] == ["Northwind SD-WAN", "Northwind Edge Firewall"]
    assert signed["credentialStatus"] == {
        "id": f"{STATUS_LIST_URL}#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": STATUS_LIST_URL,
    }


def test_credential_without_expiry_has_no_valid_until():
    assert "validUntil" not in unsigned(valid_until=None)


def test_credential_carries_no_e_mail_address(signed):
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", json.dumps(signed, ensure_ascii=False))


def test_naive_dates_are_refused():
    with pytest.raises(ValueError):
        unsigned(valid_from=datetime(2026, 11, 22, 8, 0))


def test_a_proof_set_of_one_carries_the_same_proof(signed, key):
    in_a_set = credential_sign(unsigned(), private_key=key, created=SIGNED_AT, proof_set=True, site_url=SITE_URL)

    assert in_a_set["proof"] == [signed["proof"]]
    assert credential_verify(in_a_set, key.public_key())
    assert not credential_verify({**in_a_set, "proof": []}, key.public_key())
    assert not credential_verify({**in_a_set, "proof": [signed["proof"], "z123"]}, key.public_key())


def test_a_copy_saved_before_proofs_kept_their_context_still_verifies(signed, key):
    """Credentials served before the proof carried `@context` (a lone proof without it) were signed
    over the same proof configuration, so a copy kept from then verifies here, and only unaltered."""
    legacy = {**signed, "proof": {name: value for name, value in signed["proof"].items() if name != "@context"}}
    altered = {**legacy, "name": "Certified Architect"}

    assert credential_verify(legacy, key.public_key())
    assert not credential_verify(altered, key.public_key())


def test_re_signing_replaces_the_old_proof(signed, key):
    again = credential_sign(signed, private_key=key, created=SIGNED_AT, site_url=SITE_URL)
    assert again == signed


@pytest.mark.parametrize(
    "proof_change",
    [
        {"proofValue": "not-multibase"},
        {"proofValue": "z111"},
        {"cryptosuite": "eddsa-rdfc-2022"},
        {"type": "Ed25519Signature2020"},
        {"proofPurpose": "authentication"},
    ],
)
def test_malformed_proofs_do_not_verify(signed, key, proof_change):
    tampered = {**signed, "proof": {**signed["proof"], **proof_change}}
    assert not credential_verify(tampered, key.public_key())


def test_documents_without_a_proof_do_not_verify(signed, key):
    assert not credential_verify({k: v for k, v in signed.items() if k != "proof"}, key.public_key())
    assert not credential_verify({**signed, "proof": "z123"}, key.public_key())


def test_the_specification_test_vector_verifies():
    public_key = public_key_from_multibase(W3C_PUBLIC_KEY)
    assert credential_verify(W3C_SIGNED, public_key)
    tampered = {**W3C_SIGNED, "credentialSubject": {**W3C_SIGNED["credentialSubject"], "alumniOf": "Elsewhere"}}
    assert not credential_verify(tampered, public_key)


def test_a_proof_context_that_is_not_a_prefix_of_the_document_context_fails():
    public_key = public_key_from_multibase(W3C_PUBLIC_KEY)
    tampered = {**W3C_SIGNED, "@context": list(reversed(W3C_CONTEXT))}
    assert not credential_verify(tampered, public_key)
