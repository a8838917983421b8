import base64
import gzip
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certifications.verification.credentials import credential_build, credential_sign, credential_verify
from certifications.verification.status_list import (
    STATUS_LIST_MIN_BITS,
    StatusList,
    credential_revoked,
    status_list_credential_build,
    status_list_url,
)

SITE_URL = "https://academy.example.com"
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.generate()


def certificate_credential(key, index: int, url: str) -> dict:
    document = credential_build(
        serial="PA-7K3M-9QX2-WD4F",
        holder_name="Ada Lovelace",
        certification_name="Certified Cloud Network Engineer",
        certification_description="Designs and operates Northwind networks.",
        certification_url=f"{SITE_URL}/certifications/ccne/",
        vendor_name="Northwind Networks",
        vendor_url=f"{SITE_URL}/vendors/northwind/",
        products=["Northwind SD-WAN"],
        valid_from=NOW,
        valid_until=None,
        status_list_url=url,
        status_index=index,
        site_url=SITE_URL,
    )
    return credential_sign(document, private_key=key, created=NOW, site_url=SITE_URL)


def signed_list(key, status_list: StatusList, url: str) -> dict:
    document = status_list_credential_build(status_list=status_list, url=url, valid_from=NOW, site_url=SITE_URL)
    return credential_sign(document, private_key=key, created=NOW, site_url=SITE_URL)


def test_a_new_list_has_at_least_131072_clear_bits():
    status_list = StatusList()
    assert status_list.size == STATUS_LIST_MIN_BITS == 131_072
    assert status_list.set_indices() == []
    assert not status_list.get(0) and not status_list.get(131_071)


def test_lists_smaller_than_the_minimum_are_refused():
    with pytest.raises(ValueError):
        StatusList(1024)


def test_set_get_and_clear_one_bit_leave_the_others_alone():
    status_list = StatusList()
    for index in (0, 7, 8, 94_567, 131_071):
        status_list.set(index)
    assert status_list.set_indices() == [0, 7, 8, 94_567, 131_071]
    status_list.clear(7)
    assert not status_list.get(7)
    assert status_list.get(8) and status_list.get(0)
    assert status_list.set_indices() == [0, 8, 94_567, 131_071]


def test_indices_outside_the_list_are_refused():
    status_list = StatusList()
    for index in (-1, 131_072):
        with pytest.raises(IndexError):
            status_list.get(index)
        with pytest.raises(IndexError):
            status_list.set(index)


def test_bit_zero_is_the_leftmost_bit_of_the_first_byte():
    status_list = StatusList()
    status_list.set(0)
    status_list.set(9)
    body = status_list.encode()[1:]
    raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert raw[:2] == bytes([0b1000_0000, 0b0100_0000])
    assert len(raw) == 16 * 1024


def test_encoding_is_multibase_base64url_gzip_and_round_trips():
    status_list = StatusList()
    revoked = [3, 1000, 94_567, 131_000]
    for index in revoked:
        status_list.set(index)
    encoded = status_list.encode()
    assert encoded.startswith("u")
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    decoded = StatusList.decode(encoded)
    assert decoded.size == STATUS_LIST_MIN_BITS
    assert decoded.set_indices() == revoked
    assert encoded == decoded.encode()


@pytest.mark.parametrize("encoded", ["", "zabc", "unot-gzip", "u" + base64.urlsafe_b64encode(b"x" * 40).decode()])
def test_garbage_encoded_lists_are_refused(encoded):
    with pytest.raises(ValueError):
        StatusList.decode(encoded)


def test_oversized_encoded_lists_are_refused_without_inflating_them():
    bomb = gzip.compress(bytes(64 * 1024 * 1024))
    with pytest.raises(ValueError):
        StatusList.decode("u" + base64.urlsafe_b64encode(bomb).decode().rstrip("="))


def test_status_list_credential_is_signed_and_shaped_as_the_specification_says(key):
    url = status_list_url(site_url=SITE_URL)
    assert url == f"{SITE_URL}/api/v1/status-lists/revocation"
    document = signed_list(key, StatusList(), url)
    assert credential_verify(document, key.public_key())
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["id"] == url
    assert document["issuer"] == f"{SITE_URL}/api/v1/keys/platform.json"
    subject = document["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert subject["id"] == f"{url}#list"
    assert StatusList.decode(subject["encodedList"]).set_indices() == []


def test_a_revoked_credentials_bit_is_set_and_others_stay_clear(key):
    url = status_list_url(site_url=SITE_URL)
    revoked = certificate_credential(key, 94_567, url)
    neighbour = certificate_credential(key, 94_568, url)
    untouched = certificate_credential(key, 12, url)
    status_list = StatusList()
    status_list.set(94_567)
    published = signed_list(key, status_list, url)

    assert credential_revoked(credential=revoked, status_list_credential=published, public_key=key.public_key())
    assert not credential_revoked(credential=neighbour, status_list_credential=published, public_key=key.public_key())
    assert not credential_revoked(credential=untouched, status_list_credential=published, public_key=key.public_key())
    # Revocation changes the list, never the credential: its own signature still verifies.
    assert credential_verify(revoked, key.public_key())


def test_a_status_list_with_a_bad_signature_is_not_trusted(key):
    url = status_list_url(site_url=SITE_URL)
    credential = certificate_credential(key, 5, url)
    published = signed_list(key, StatusList(), url)
    forged_list = StatusList()
    forged_list.set(5)
    published["credentialSubject"]["encodedList"] = forged_list.encode()
    with pytest.raises(ValueError):
        credential_revoked(credential=credential, status_list_credential=published, public_key=key.public_key())


def test_a_different_status_list_is_not_used_for_the_answer(key):
    credential = certificate_credential(key, 5, status_list_url(site_url=SITE_URL))
    other = signed_list(key, StatusList(), status_list_url(name="suspension", site_url=SITE_URL))
    with pytest.raises(ValueError):
        credential_revoked(credential=credential, status_list_credential=other, public_key=key.public_key())
