"""The portable credential as served: `/api/v1/certificates/<serial>/credential` is a signed Open
Badges 3.0 credential that verifies with the key published at `/api/v1/keys/platform.json`, and
its `credentialStatus` bit in the published revocation list is set once the certificate is revoked."""

import base64
import copy
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.cache import cache
from django.utils import timezone

from certifications.certificates.serials import serial_generate
from certifications.models import Certificate
from certifications.verification.credentials import credential_verify
from certifications.verification.keys import key_document_url, platform_signing_key, public_key_from_multibase
from certifications.verification.publishing import revocation_status_list_credential
from certifications.verification.status_list import (
    STATUS_LIST_MIN_BITS,
    StatusList,
    credential_revoked,
    status_list_url,
)
from tests.factories import certifications as factories
from tests.factories.community import ProductFactory, UserFactory, VendorFactory

pytestmark = pytest.mark.django_db

SEED = bytes(range(32))


@pytest.fixture(autouse=True)
def signing_key(settings):
    """A known platform key for these tests, read afresh (the key is otherwise read once per process)."""
    settings.CREDENTIAL_SIGNING_KEY = base64.b64encode(SEED).decode()
    platform_signing_key.cache_clear()
    yield Ed25519PrivateKey.from_private_bytes(SEED)
    platform_signing_key.cache_clear()


@pytest.fixture
def certificate():
    vendor = VendorFactory(name="Northwind Networks", website="https://northwind.example")
    page = factories.certification(vendor=vendor, title="Certified SD-WAN Engineer")
    page.products.set([ProductFactory(vendor=vendor, name="Northwind SD-WAN")])
    holder = UserFactory(full_name="Олег Петров", email="oleg.private@example.com")
    return factories.certificate(holder=holder, certification_page=page, product_names=["Northwind SD-WAN"])


def path_of(url: str) -> str:
    return urlsplit(url).path


def published_key(client, credential: dict):
    """The public key the credential's proof names, as a verifier finds it: in the key document."""
    proof = credential["proof"]
    method_id = (proof[0] if isinstance(proof, list) else proof)["verificationMethod"]
    document = client.get(path_of(method_id)).json()
    assert method_id in document["assertionMethod"]
    method = next(m for m in document["verificationMethod"] if m["id"] == method_id)
    return public_key_from_multibase(method["publicKeyMultibase"])


def test_the_served_credential_verifies_with_the_published_key(client, certificate):
    response = client.get(f"/api/v1/certificates/{certificate.serial}/credential")

    assert response.status_code == 200
    credential = response.json()
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"http://testserver/api/v1/certificates/{certificate.serial}/credential"
    assert credential_verify(credential, published_key(client, credential))


def test_the_credential_carries_the_frozen_printed_facts(client, certificate):
    holder = certificate.holder
    holder.full_name = "Oleg Petrov"
    holder.save()

    credential = client.get(f"/api/v1/certificates/{certificate.serial}/credential").json()

    subject = credential["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Олег Петров"
    assert subject["achievement"]["name"] == "Certified SD-WAN Engineer"
    assert subject["achievement"]["creator"]["name"] == "Northwind Networks"
    assert subject["achievement"]["tag"] == ["Northwind SD-WAN"]
    assert credential["validUntil"] == f"{certificate.expires_on.isoformat()}T00:00:00Z"
    assert credential["issuer"]["id"] == key_document_url()


def test_the_same_certificate_gives_the_same_signed_json_each_time(client, certificate):
    first = client.get(f"/api/v1/certificates/{certificate.serial}/credential").content
    second = client.get(f"/api/v1/certificates/{certificate.serial}/credential").content

    assert first == second


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["credentialSubject"]["identifier"][0].__setitem__("identityHash", "Someone Else"),
        lambda c: c["credentialSubject"]["achievement"].__setitem__("name", "Certified Architect"),
        lambda c: c["credentialSubject"]["achievement"]["tag"].append("Every Product"),
        lambda c: c.__setitem__("validUntil", "2099-01-01T00:00:00Z"),
        lambda c: c["credentialStatus"].__setitem__("statusListIndex", "0"),
        lambda c: c["issuer"].__setitem__("name", "Another Academy"),
    ],
    ids=["holder", "certification", "products", "expiry", "status index", "issuer"],
)
def test_any_changed_field_fails_verification(client, certificate, change):
    credential = client.get(f"/api/v1/certificates/{certificate.serial}/credential").json()
    key = published_key(client, credential)
    tampered = copy.deepcopy(credential)

    change(tampered)

    assert credential_verify(credential, key)
    assert not credential_verify(tampered, key)


def test_a_credential_signed_by_another_key_fails(client, certificate):
    credential = client.get(f"/api/v1/certificates/{certificate.serial}/credential").json()

    assert not credential_verify(credential, Ed25519PrivateKey.generate().public_key())


def test_the_status_entry_points_at_the_certificates_bit_in_the_published_list(client, certificate):
    credential = client.get(f"/api/v1/certificates/{certificate.serial}/credential").json()

    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "revocation"
    assert entry["statusListIndex"] == str(certificate.pk)
    assert entry["statusListCredential"] == status_list_url()
    response = client.get(path_of(entry["statusListCredential"]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    status_list = response.json()
    assert credential_verify(status_list, published_key(client, status_list))
    assert not credential_revoked(
        credential=credential, status_list_credential=status_list, public_key=published_key(client, credential)
    )


def test_after_revocation_the_published_bit_is_set_at_once(client, certificate):
    credential = client.get(f"/api/v1/certificates/{certificate.serial}/credential").json()
    key = published_key(client, credential)
    status_url = path_of(credential["credentialStatus"]["statusListCredential"])
    before = client.get(status_url).json()

    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.REVOKED, revoked_at=timezone.now(), revocation_reason="exam_misconduct"
    )
    after = client.get(status_url).json()

    assert not credential_revoked(credential=credential, status_list_credential=before, public_key=key)
    assert credential_revoked(credential=credential, status_list_credential=after, public_key=key)
    # The revoked certificate's credential is still served, with the same content: the list says it.
    again = client.get(f"/api/v1/certificates/{certificate.serial}/credential").json()
    assert again == credential


def test_only_revoked_certificates_have_their_bit_set(certificate):
    holder = UserFactory()
    revoked = [
        factories.certificate(
            holder=holder, certification_page=certificate.certification, status="revoked", revocation_reason="other"
        )
        for _i in range(3)
    ]
    factories.certificate(holder=holder, certification_page=certificate.certification, status="expired")

    document = revocation_status_list_credential()

    bits = StatusList.decode(document["credentialSubject"]["encodedList"])
    assert bits.size == STATUS_LIST_MIN_BITS
    assert bits.set_indices() == sorted(c.pk for c in revoked)


def test_an_unchanged_list_is_served_from_the_cache_after_two_indexed_queries(certificate, count_queries):
    factories.certificate(
        holder=certificate.holder, certification_page=certificate.certification, status="revoked", revocation_reason=""
    )
    first = revocation_status_list_credential()

    with count_queries() as queries:
        second = revocation_status_list_credential(now=timezone.now() + timedelta(minutes=5))

    assert len(queries) == 2
    assert second == first


def test_a_list_cached_in_the_form_served_before_is_not_served(certificate, settings):
    """A cache shared with processes still running the previous code (or signing with a key since
    rotated) holds lists under the revocations' fingerprint alone; those are not this process's."""
    size = STATUS_LIST_MIN_BITS
    cache.set(f"certifications:status-list:revocation:{size}:0:0", {"proof": {"proofValue": "zOld"}}, 60)
    first = revocation_status_list_credential()
    settings.CREDENTIAL_SIGNING_KEY = base64.b64encode(bytes(32)).decode()
    platform_signing_key.cache_clear()

    rotated = revocation_status_list_credential()

    assert first["proof"]["@context"] == first["@context"]
    assert rotated["proof"]["verificationMethod"] != first["proof"]["verificationMethod"]
    assert credential_verify(rotated, platform_signing_key().public_key())


def test_the_list_grows_to_cover_every_certificate_index(certificate):
    big = STATUS_LIST_MIN_BITS + 5
    factories.certificate(
        holder=certificate.holder, certification_page=certificate.certification, id=big, status="revoked"
    )

    document = revocation_status_list_credential()

    bits = StatusList.decode(document["credentialSubject"]["encodedList"])
    assert bits.size == 2 * STATUS_LIST_MIN_BITS
    assert bits.set_indices() == [big]


def test_key_document_is_served_where_credentials_say_it_is(client, signing_key):
    response = client.get(path_of(key_document_url()))

    assert path_of(key_document_url()) == "/api/v1/keys/platform.json"
    assert response.status_code == 200
    document = response.json()
    assert document["id"] == key_document_url()
    served = public_key_from_multibase(document["verificationMethod"][0]["publicKeyMultibase"])
    assert served.public_bytes_raw() == signing_key.public_key().public_bytes_raw()
    assert response["Access-Control-Allow-Origin"] == "*"


def test_there_is_no_other_status_list(client):
    response = client.get("/api/v1/status-lists/suspension")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_credentials_of_unknown_or_mistyped_serials_are_json_errors(client, certificate):
    unknown = client.get(f"/api/v1/certificates/{serial_generate()}/credential")
    mistyped = client.get(
        f"/api/v1/certificates/{certificate.serial[:-1]}{'X' if certificate.serial[-1] != 'X' else 'Y'}/credential"
    )

    assert (unknown.status_code, unknown.json()["error"]) == (404, "not_found")
    assert (mistyped.status_code, mistyped.json()["error"]) == (400, "mistyped")


def test_endpoints_need_no_sign_in(client, certificate):
    for path in (
        f"/api/v1/certificates/{certificate.serial}/credential",
        "/api/v1/keys/platform.json",
        "/api/v1/status-lists/revocation",
    ):
        assert client.get(path).status_code == 200, path


def test_rebuilding_the_list_for_many_revocations_stays_cheap(certificate):
    """A figure for the README, and a guard: signing a fresh list with 500 revoked bits."""
    holder = certificate.holder
    Certificate.objects.bulk_create(
        Certificate(
            serial=serial_generate(),
            holder=holder,
            certification=certificate.certification,
            vendor=certificate.vendor,
            holder_name="x",
            certification_title="x",
            vendor_name="x",
            issued_on=certificate.issued_on,
            expires_on=certificate.expires_on,
            issued_at=certificate.issued_at,
            status="revoked",
            revoked_at=timezone.now(),
        )
        for _i in range(500)
    )

    started = time.perf_counter()
    document = revocation_status_list_credential()
    elapsed = time.perf_counter() - started

    assert len(StatusList.decode(document["credentialSubject"]["encodedList"]).set_indices()) == 500
    assert elapsed < 1.0
