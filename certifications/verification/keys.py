"""The platform's Ed25519 signing key for portable credentials, and where its public half is published.

The private key comes from `settings.CREDENTIAL_SIGNING_KEY` (environment `CREDENTIAL_SIGNING_KEY`:
PEM, or base64 of the 32-byte seed). When that is empty, as in development, a key is generated once
into `settings.CREDENTIAL_KEY_DIR` (file mode 0600) and reused; with several servers, set the
variable so they all sign with the same key.

Verifiers find the public key in a controlled identifier document (W3C CID 1.0) at
`{SITE_URL}/api/v1/keys/platform.json`, as a Multikey whose id ends in its own multibase value,
so a rotated key gets a new id and credentials signed by the old one still name theirs.
"""

import base64
import binascii
import os
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

KEY_DOCUMENT_PATH = "/api/v1/keys/platform.json"
KEY_FILE_NAME = "credential-signing-key.pem"
CID_CONTEXT = "https://www.w3.org/ns/cid/v1"
# Generic Multikey readers (Digital Bazaar's among them) accept a key only under this context.
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"

# Multicodec prefix of an Ed25519 public key (0xed, as an unsigned varint).
_ED25519_PUB_PREFIX = b"\xed\x01"
_BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def multibase_encode(data: bytes) -> str:
    """Multibase base58-btc: `z` followed by the Bitcoin base58 alphabet, leading zero bytes as `1`."""
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(_BASE58_ALPHABET[remainder])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "z" + "1" * zeros + "".join(reversed(digits))


def multibase_decode(text: str) -> bytes:
    """Inverse of `multibase_encode`; ValueError unless `text` is base58-btc multibase."""
    if not isinstance(text, str) or not text.startswith("z"):
        raise ValueError("not a base58-btc multibase string")
    body = text[1:]
    number = 0
    for char in body:
        index = _BASE58_ALPHABET.find(char)
        if index < 0:
            raise ValueError(f"{char!r} is not base58")
        number = number * 58 + index
    zeros = len(body) - len(body.lstrip("1"))
    payload = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + payload


def signing_key_from_text(text: str) -> Ed25519PrivateKey:
    """Read a private key given as PEM (PKCS#8) or as base64 of its 32-byte seed."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("CREDENTIAL_SIGNING_KEY is not an Ed25519 key")
        return key
    try:
        seed = base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise ValueError("CREDENTIAL_SIGNING_KEY is neither PEM nor base64") from error
    if len(seed) != 32:
        raise ValueError("CREDENTIAL_SIGNING_KEY in base64 must hold the 32-byte Ed25519 seed")
    return Ed25519PrivateKey.from_private_bytes(seed)


def signing_key_load(*, configured: str | None = None, key_dir: Path | None = None) -> Ed25519PrivateKey:
    """The platform key: `configured` (default `settings.CREDENTIAL_SIGNING_KEY`) when set, else the
    key file in `key_dir` (default `settings.CREDENTIAL_KEY_DIR`), created on first use with mode
    0600. Two processes starting together agree on one key: the file appears atomically and the
    loser of the race reads the winner's."""
    configured = settings.CREDENTIAL_SIGNING_KEY if configured is None else configured
    if configured:
        return signing_key_from_text(configured)
    key_dir = Path(settings.CREDENTIAL_KEY_DIR if key_dir is None else key_dir)
    path = key_dir / KEY_FILE_NAME
    if not path.exists():
        _write_new_key(path)
    return signing_key_from_text(path.read_text())


def _write_new_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


@cache
def platform_signing_key() -> Ed25519PrivateKey:
    """`signing_key_load()` read once per process."""
    return signing_key_load()


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """The Multikey `publicKeyMultibase` form: base58-btc of the multicodec-prefixed raw key (`z6Mk...`)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return multibase_encode(_ED25519_PUB_PREFIX + raw)


def public_key_from_multibase(text: str) -> Ed25519PublicKey:
    """Inverse of `public_key_multibase`; ValueError for anything but an Ed25519 Multikey value."""
    data = multibase_decode(text)
    if not data.startswith(_ED25519_PUB_PREFIX) or len(data) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def key_document_url(*, site_url: str | None = None) -> str:
    """The stable URL of the platform's key document; also the credentials' issuer id."""
    return f"{(site_url or settings.SITE_URL).rstrip('/')}{KEY_DOCUMENT_PATH}"


def verification_method_id(*, public_key: Ed25519PublicKey, site_url: str | None = None) -> str:
    """What a proof's `verificationMethod` names: the key document URL with the key as fragment."""
    return f"{key_document_url(site_url=site_url)}#{public_key_multibase(public_key)}"


def key_document(*, public_keys: list[Ed25519PublicKey], site_url: str | None = None) -> dict:
    """The JSON published at `key_document_url`: each key as a Multikey verification method that
    may assert credentials. List retired keys after the current one so old credentials still verify."""
    controller = key_document_url(site_url=site_url)
    methods = [
        {
            "id": verification_method_id(public_key=key, site_url=site_url),
            "type": "Multikey",
            "controller": controller,
            "publicKeyMultibase": public_key_multibase(key),
        }
        for key in public_keys
    ]
    return {
        "@context": [CID_CONTEXT, MULTIKEY_CONTEXT],
        "id": controller,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
