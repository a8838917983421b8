import base64
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certifications.verification import keys
from certifications.verification.keys import (
    KEY_FILE_NAME,
    key_document,
    key_document_url,
    multibase_decode,
    multibase_encode,
    public_key_from_multibase,
    public_key_multibase,
    signing_key_from_text,
    signing_key_load,
    verification_method_id,
)

SITE_URL = "https://academy.example.com"


def raw_public(key) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def test_without_a_configured_key_one_is_generated_once_with_owner_only_permissions(tmp_path):
    first = signing_key_load(configured="", key_dir=tmp_path / "keys")
    second = signing_key_load(configured="", key_dir=tmp_path / "keys")
    key_file = tmp_path / "keys" / KEY_FILE_NAME
    assert raw_public(first) == raw_public(second)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [path.name for path in (tmp_path / "keys").iterdir()] == [KEY_FILE_NAME]


def test_a_process_losing_the_creation_race_keeps_the_winners_key(tmp_path):
    winner = signing_key_load(configured="", key_dir=tmp_path)
    keys._write_new_key(tmp_path / KEY_FILE_NAME)  # what a second process starting at once would do
    assert raw_public(signing_key_load(configured="", key_dir=tmp_path)) == raw_public(winner)
    assert [path.name for path in tmp_path.iterdir()] == [KEY_FILE_NAME]


def test_the_key_directory_comes_from_settings(settings, tmp_path):
    settings.CREDENTIAL_SIGNING_KEY = ""
    settings.CREDENTIAL_KEY_DIR = tmp_path / "from-settings"
    signing_key_load()
    assert (tmp_path / "from-settings" / KEY_FILE_NAME).exists()


def test_a_configured_pem_key_is_used_and_nothing_is_written(tmp_path):
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    loaded = signing_key_load(configured=pem, key_dir=tmp_path)
    assert raw_public(loaded) == raw_public(key)
    assert list(tmp_path.iterdir()) == []


def test_a_configured_base64_seed_is_used(settings):
    key = Ed25519PrivateKey.generate()
    seed = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    settings.CREDENTIAL_SIGNING_KEY = base64.b64encode(seed).decode()
    assert raw_public(signing_key_load()) == raw_public(key)


@pytest.mark.parametrize("text", ["not a key", base64.b64encode(b"short").decode()])
def test_a_malformed_configured_key_is_refused(text):
    with pytest.raises(ValueError):
        signing_key_from_text(text)


def test_multibase_round_trips_including_leading_zero_bytes():
    for data in [b"", b"\0", b"\0\0\x01", bytes(range(64)), b"\xff" * 40]:
        encoded = multibase_encode(data)
        assert encoded.startswith("z")
        assert multibase_decode(encoded) == data
    # The base58 test vector of the multibase specification.
    assert multibase_encode(b"Decentralize everything!!") == "zUXE7GvtEk8XTXs1GF8HSGbVA9FCX9SEBPe"


def test_public_key_is_published_as_an_ed25519_multikey():
    key = Ed25519PrivateKey.generate()
    value = public_key_multibase(key.public_key())
    assert value.startswith("z6Mk")
    assert raw_public(key) == public_key_from_multibase(value).public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def test_key_document_lists_each_key_as_an_assertion_method():
    current, retired = Ed25519PrivateKey.generate().public_key(), Ed25519PrivateKey.generate().public_key()
    document = key_document(public_keys=[current, retired], site_url=SITE_URL)
    url = f"{SITE_URL}/api/v1/keys/platform.json"
    assert key_document_url(site_url=SITE_URL) == url
    assert document["@context"] == ["https://www.w3.org/ns/cid/v1", "https://w3id.org/security/multikey/v1"]
    assert document["id"] == url
    first = document["verificationMethod"][0]
    assert first == {
        "id": f"{url}#{public_key_multibase(current)}",
        "type": "Multikey",
        "controller": url,
        "publicKeyMultibase": public_key_multibase(current),
    }
    assert first["id"] == verification_method_id(public_key=current, site_url=SITE_URL)
    assert document["assertionMethod"] == [method["id"] for method in document["verificationMethod"]]
    assert len(set(document["assertionMethod"])) == 2
