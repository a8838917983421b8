"""Credentials and the status list as outside parties check them, not with the platform's own code:
a second verifier written from the specification (`spec_verifier.py`, first run on the
specification's test vector), Digital Bazaar's verifier libraries under Node.js, and 1EdTech's Open
Badges 3.0 JSON schema. Certificates whose rows were written long before are served and checked
like new ones: credentials are built and signed from the certificate at each request. Delivery
rights' credentials and their two status lists go through the same checks."""

import base64
import copy
import gzip
import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from jsonschema import Draft201909Validator

from certifications.verification.keys import platform_signing_key
from certifications.verification.right_credentials import right_credential_sync
from certifications.verification.status_list import StatusList
from tests.certifications.rights.test_rights import give_right, make_rule
from tests.certifications.verification import spec_verifier
from tests.factories import certifications as factories
from tests.factories.community import OrganisationFactory, ProductFactory, UserFactory, VendorFactory

DATA = Path(__file__).resolve().parents[2] / "data"
VECTOR = DATA / "vc-di-eddsa"
VERIFIER_SOURCE = Path(__file__).resolve().parent / "external_verifier"
SEED = bytes(range(32))


def vector(name: str):
    text = (VECTOR / name).read_text()
    return json.loads(text) if name.endswith(".json") else text.strip()


@pytest.fixture
def signing_key(settings):
    settings.CREDENTIAL_SIGNING_KEY = base64.b64encode(SEED).decode()
    platform_signing_key.cache_clear()
    yield
    platform_signing_key.cache_clear()


@pytest.fixture
def certificates(db, signing_key):
    """A fresh certificate, one issued in 2024 and valid for three years, a revoked one, and one
    imported from the vendor's previous system."""
    vendor = VendorFactory(name="Northwind Networks", website="https://northwind.example")
    page = factories.certification(vendor=vendor, title="Certified SD-WAN Engineer")
    page.products.set([ProductFactory(vendor=vendor, name="Northwind SD-WAN")])
    holder = UserFactory(full_name="王小明")
    fresh = factories.certificate(holder=holder, certification_page=page)
    old = factories.certificate(
        holder=holder,
        certification_page=page,
        issued_on=datetime(2024, 3, 1).date(),
        expires_on=datetime(2027, 3, 1).date(),
    )
    old.issued_at = datetime(2024, 3, 1, 10, 15, tzinfo=UTC)
    old.save(update_fields=["issued_at"])
    revoked = factories.certificate(
        holder=holder, certification_page=page, status="revoked", revocation_reason="exam_misconduct"
    )
    imported = factories.certificate(
        holder=holder,
        certification_page=page,
        issued_on=datetime(2019, 5, 2).date(),
        expires_on=datetime(2029, 5, 2).date(),
        legacy_id="NW-2019-0042",
        imported_at=datetime(2026, 12, 7, 9, 0, tzinfo=UTC),
    )
    imported.issued_at = datetime(2019, 5, 2, tzinfo=UTC)
    imported.save(update_fields=["issued_at"])
    return {"fresh": fresh, "old": old, "revoked": revoked, "imported": imported}


def fetch(client, url: str) -> dict:
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200, url
    return response.json()


def served(client, certificates) -> dict:
    """Every certificate's credential, the status list and the key document, as published."""
    credentials = {
        name: fetch(client, f"{settings.SITE_URL}/api/v1/certificates/{certificate.serial}/credential")
        for name, certificate in certificates.items()
    }
    status_list_url = credentials["fresh"]["credentialStatus"]["statusListCredential"]
    key_url = credentials["fresh"]["issuer"]["id"]
    return {
        "credentials": credentials,
        "status_list": fetch(client, status_list_url),
        "key_document": fetch(client, key_url),
        "urls": {"status_list": status_list_url, "key_document": key_url},
    }


def key_finder(key_document: dict):
    def key_for(method_id: str):
        assert method_id in key_document["assertionMethod"]
        method = next(m for m in key_document["verificationMethod"] if m["id"] == method_id)
        return spec_verifier.multikey_public_key(method["publicKeyMultibase"])

    return key_for


def test_the_spec_verifier_reproduces_the_specifications_test_vector():
    signed = vector("signedJCS.json")
    unsecured = {name: value for name, value in signed.items() if name != "proof"}
    options = {name: value for name, value in signed["proof"].items() if name != "proofValue"}

    assert spec_verifier.jcs(unsecured).decode() == vector("canonDocJCS.txt")
    assert spec_verifier.jcs(options).decode() == vector("proofCanonJCS.txt")
    assert options == vector("proofConfigJCS.json")
    assert spec_verifier.hash_data(unsecured, options).hex() == vector("combinedHashJCS.txt")
    assert signed["proof"]["proofValue"] == vector("sigBTC58JCS.txt")


def test_the_spec_verifier_accepts_the_test_vector_and_refuses_it_altered():
    signed = vector("signedJCS.json")
    public_key = spec_verifier.multikey_public_key(vector("keyPair.json")["publicKeyMultibase"])
    altered = copy.deepcopy(signed)
    altered["credentialSubject"]["alumniOf"] = "Elsewhere"
    without_context = copy.deepcopy(signed)
    del without_context["proof"]["@context"]

    assert spec_verifier.document_verify(signed, lambda _method: public_key)
    assert not spec_verifier.document_verify(altered, lambda _method: public_key)
    assert not spec_verifier.document_verify(without_context, lambda _method: public_key)


def test_every_served_credential_and_the_status_list_pass_the_spec_verifier(client, certificates):
    published = served(client, certificates)
    key_for = key_finder(published["key_document"])

    for name, credential in published["credentials"].items():
        assert spec_verifier.document_verify(credential, key_for), name
    assert spec_verifier.document_verify(published["status_list"], key_for)


def test_the_spec_verifier_refuses_served_credentials_once_altered(client, certificates):
    published = served(client, certificates)
    key_for = key_finder(published["key_document"])
    credential = copy.deepcopy(published["credentials"]["old"])
    credential["validUntil"] = "2099-01-01T00:00:00Z"
    status_list = copy.deepcopy(published["status_list"])
    status_list["credentialSubject"]["encodedList"] = "uH4sIAAAAAAAAA2NgAAAAAAAAAA"

    assert not spec_verifier.document_verify(credential, key_for)
    assert not spec_verifier.document_verify(status_list, key_for)


def test_every_served_credential_is_valid_against_the_1edtech_schema(client, certificates):
    schema = json.loads((DATA / "openbadges" / "ob_v3p0_achievementcredential_schema.json").read_text())
    validator = Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)

    for name, credential in served(client, certificates)["credentials"].items():
        errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(credential)]
        assert errors == [], name
    assert isinstance(credential["proof"], list) and len(credential["proof"]) == 1


def test_each_proof_is_the_signed_configuration_as_in_the_specifications_example(client, certificates):
    published = served(client, certificates)
    example = vector("signedJCS.json")["proof"]

    for document in [*published["credentials"].values(), published["status_list"]]:
        proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
        assert [set(proof) for proof in proofs] == [set(example)]
        assert all(proof["@context"] == document["@context"] for proof in proofs)


@pytest.fixture(scope="session")
def external_verifier(tmp_path_factory):
    """Digital Bazaar's verifier, installed once per run from the pinned package-lock.json."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not (node and npm):
        pytest.skip(
            "NODE.JS IS MISSING: the third-party credential check (Digital Bazaar's verifier) did not "
            "run. Install Node.js 20 or later with npm to run it; CI has it."
        )
    target = Path(settings.BASE_DIR) / "var" / "external-verifier"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json", "verify.mjs"):
        shutil.copyfile(VERIFIER_SOURCE / name, target / name)
    lock = (target / "package-lock.json").read_bytes()
    installed = target / "node_modules" / ".package-lock.json"
    stamp = target / "node_modules" / ".installed-from"
    if not (installed.exists() and stamp.exists() and stamp.read_bytes() == lock):
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=target, check=True, timeout=300)
        stamp.write_bytes(lock)

    def verify(documents: dict, credentials: list[dict], statuses: list[dict] | None = None):
        payload = json.dumps({"documents": documents, "credentials": credentials, "statuses": statuses})
        result = subprocess.run(
            [node, "verify.mjs"], cwd=target, input=payload, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    return verify


def schema_errors(credential: dict) -> list[str]:
    schema = json.loads((DATA / "openbadges" / "ob_v3p0_achievementcredential_schema.json").read_text())
    validator = Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(credential)]


def test_digital_bazaars_verifier_accepts_every_credential_and_the_status_list(client, certificates, external_verifier):
    published = served(client, certificates)
    documents = {
        published["urls"]["key_document"]: published["key_document"],
        published["urls"]["status_list"]: published["status_list"],
        # The CID 1.0 context (W3C) that the key document declares; the verifier frames it.
        "https://www.w3.org/ns/cid/v1": json.loads((DATA / "cid" / "v1.jsonld").read_text()),
    }
    credentials = published["credentials"]
    altered = copy.deepcopy(credentials["fresh"])
    altered["credentialSubject"]["achievement"]["name"] = "Certified Architect"

    results = external_verifier(documents, [*credentials.values(), published["status_list"], altered])

    by_name = dict(zip([*credentials, "status_list", "altered"], results, strict=True))
    for name in [*credentials, "status_list"]:
        assert by_name[name]["verified"], (name, by_name[name]["error"])
    assert (by_name["fresh"]["revoked"], by_name["old"]["revoked"], by_name["revoked"]["revoked"]) == (
        False,
        False,
        True,
    )
    assert not by_name["altered"]["verified"]


@pytest.fixture
def rights(db, signing_key):
    """Three partners' rights to one product, through the credential service as the rights engine
    calls it: one active, one in grace (renewal pending) and one that lapsed."""
    vendor = VendorFactory(name="Northwind Networks", website="https://northwind.example")
    product = make_rule(product=ProductFactory(vendor=vendor, name="Northwind SD-WAN"), min_engineers=1).product
    held = {}
    for name, status, website in (
        ("active", "active", "https://acme.example"),
        ("grace", "grace", ""),
        ("lapsed", "lapsed", "https://北京网络.example"),
    ):
        right = give_right(OrganisationFactory(name=f"{name.title()} <Partner> & Co", website=website), product)
        held[name] = right_credential_sync(right=right, now=right.active_since)
        if status != "active":
            right.status = status
            right_credential_sync(right=right, now=right.active_since)
    return held


def served_rights(client, rights) -> dict:
    """Every right's credential, both rights lists and the key document, as published."""
    credentials = {
        name: fetch(client, f"{settings.SITE_URL}/api/v1/delivery-rights/credentials/{credential.public_id}")
        for name, credential in rights.items()
    }
    revocation_url = credentials["active"]["credentialStatus"]["statusListCredential"]
    suspension_url = revocation_url.replace("rights-revocation", "rights-suspension")
    key_url = credentials["active"]["issuer"]["id"]
    return {
        "credentials": credentials,
        "documents": {
            revocation_url: fetch(client, revocation_url),
            suspension_url: fetch(client, suspension_url),
            key_url: fetch(client, key_url),
            "https://www.w3.org/ns/cid/v1": json.loads((DATA / "cid" / "v1.jsonld").read_text()),
        },
        "urls": {"revocation": revocation_url, "suspension": suspension_url, "key_document": key_url},
    }


def test_every_rights_credential_is_valid_against_the_1edtech_schema(client, rights):
    for name, credential in served_rights(client, rights)["credentials"].items():
        assert schema_errors(credential) == [], name


def test_every_rights_credential_and_both_rights_lists_pass_the_spec_verifier(client, rights):
    published = served_rights(client, rights)
    key_for = key_finder(published["documents"][published["urls"]["key_document"]])

    for name, credential in published["credentials"].items():
        assert spec_verifier.document_verify(credential, key_for), name
        altered = copy.deepcopy(credential)
        altered["credentialSubject"]["name"] = "Someone Else"
        assert not spec_verifier.document_verify(altered, key_for), name
    for kind in ("revocation", "suspension"):
        assert spec_verifier.document_verify(published["documents"][published["urls"][kind]], key_for), kind


def test_the_rights_lists_hold_the_bits_a_reader_of_the_specification_finds(client, rights):
    """Decoded by hand (GZIP, base64url, bit 0 the first byte's highest bit), not by our class."""
    published = served_rights(client, rights)

    def bit(kind: str, index: int) -> bool:
        encoded = published["documents"][published["urls"][kind]]["credentialSubject"]["encodedList"]
        raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
        return bool(raw[index // 8] & (0x80 >> (index % 8)))

    found = {
        name: (bit("revocation", int(c["credentialStatus"]["statusListIndex"])), bit("suspension", rights[name].pk))
        for name, c in published["credentials"].items()
    }
    assert found == {"active": (False, False), "grace": (False, True), "lapsed": (True, False)}
    assert StatusList.decode(
        published["documents"][published["urls"]["suspension"]]["credentialSubject"]["encodedList"]
    ).set_indices() == [rights["grace"].pk]


def test_digital_bazaars_verifier_checks_rights_credentials_and_their_status(client, rights, external_verifier):
    published = served_rights(client, rights)
    credentials = published["credentials"]
    altered = {}
    for field in ("name", "url", "id"):
        document = copy.deepcopy(credentials["active"])
        document["credentialSubject"][field] = "https://elsewhere.example/"
        altered[field] = document
    product = copy.deepcopy(credentials["active"])
    product["credentialSubject"]["achievement"]["name"] = "Authorised to deliver everything everywhere"
    altered["achievement"] = product
    suspension = [
        {
            "issuer": credential["issuer"]["id"],
            "credentialStatus": {
                **credential["credentialStatus"],
                "id": f"{published['urls']['suspension']}#{credential['credentialStatus']['statusListIndex']}",
                "statusPurpose": "suspension",
                "statusListCredential": published["urls"]["suspension"],
            },
        }
        for credential in credentials.values()
    ]

    answer = external_verifier(published["documents"], [*credentials.values(), *altered.values()], suspension)

    results = dict(zip([*credentials, *(f"altered {f}" for f in altered)], answer["credentials"], strict=True))
    for name in credentials:
        assert results[name]["verified"], (name, results[name]["error"])
    assert {name: results[name]["revoked"] for name in credentials} == {
        "active": False,
        "grace": False,
        "lapsed": True,
    }
    assert not any(results[f"altered {f}"]["verified"] for f in altered)
    assert all(status["verified"] for status in answer["statuses"]), answer["statuses"]
    assert [status["status"] for status in answer["statuses"]] == [False, True, False]
