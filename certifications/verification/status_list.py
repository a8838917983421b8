"""Revocation as a W3C Bitstring Status List (Recommendation, 2025).

Each credential names one bit of a published list; a set bit means revoked. The list is at least
131,072 bits (16 KB) long, as the specification asks, so that fetching it reveals nothing about
which credential a verifier is checking. Bit 0 is the left-most (most significant) bit of the first
byte. On the wire the bits are GZIP-compressed and multibase base64url encoded (`u` prefix, no
padding); an almost empty list compresses to a few dozen bytes.

The list travels inside a BitstringStatusListCredential signed like every other credential of the
platform (`certifications/verification/credentials.py`), so a verifier trusts a bit only after checking the key.
"""

import base64
import gzip
import zlib
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings

from certifications.verification.credentials import VC_CONTEXT, credential_verify, xsd_datetime
from certifications.verification.keys import key_document_url

STATUS_LIST_MIN_BITS = 131_072
STATUS_PURPOSE = "revocation"
STATUS_LISTS_PATH = "/api/v1/status-lists/"
_MAX_LIST_BYTES = 16 * 1024 * 1024


class StatusList:
    """A fixed-size bitstring addressed by credential index."""

    def __init__(self, size: int = STATUS_LIST_MIN_BITS, *, data: bytes | None = None):
        if size < STATUS_LIST_MIN_BITS or size % 8:
            raise ValueError(f"a status list holds a multiple of 8 bits, at least {STATUS_LIST_MIN_BITS}")
        if data is not None and len(data) * 8 != size:
            raise ValueError("data does not match the list size")
        self._bits = bytearray(data) if data is not None else bytearray(size // 8)

    @property
    def size(self) -> int:
        return len(self._bits) * 8

    def _locate(self, index: int) -> tuple[int, int]:
        if not 0 <= index < self.size:
            raise IndexError(f"status index {index} outside 0..{self.size - 1}")
        return index // 8, 0x80 >> (index % 8)

    def get(self, index: int) -> bool:
        byte, mask = self._locate(index)
        return bool(self._bits[byte] & mask)

    def set(self, index: int) -> None:
        byte, mask = self._locate(index)
        self._bits[byte] |= mask

    def clear(self, index: int) -> None:
        byte, mask = self._locate(index)
        self._bits[byte] &= ~mask & 0xFF

    def set_indices(self) -> list[int]:
        """Every index whose bit is set, in order."""
        return [
            position * 8 + bit
            for position, byte in enumerate(self._bits)
            if byte
            for bit in range(8)
            if byte & (0x80 >> bit)
        ]

    def encode(self) -> str:
        """The `encodedList` value. Same bits, same string: the gzip header carries no timestamp."""
        compressed = gzip.compress(bytes(self._bits), compresslevel=9, mtime=0)
        return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")

    @classmethod
    def decode(cls, encoded: str) -> "StatusList":
        """Read an `encodedList`; ValueError when it is not multibase base64url of GZIP data."""
        if not isinstance(encoded, str) or not encoded.startswith("u"):
            raise ValueError("encodedList must be multibase base64url ('u' prefix)")
        body = encoded[1:]
        # A list from elsewhere could be a GZIP bomb: inflate no further than the largest sane list.
        inflater = zlib.decompressobj(wbits=31)
        try:
            data = inflater.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)), _MAX_LIST_BYTES + 1)
        except (zlib.error, ValueError) as error:
            raise ValueError("encodedList is not base64url GZIP data") from error
        if len(data) > _MAX_LIST_BYTES or inflater.unconsumed_tail or not inflater.eof:
            raise ValueError("encodedList is truncated or larger than any status list this platform reads")
        return cls(len(data) * 8, data=data)


def status_list_url(*, name: str = STATUS_PURPOSE, site_url: str | None = None) -> str:
    """Where the status list credential called `name` is published."""
    return f"{(site_url or settings.SITE_URL).rstrip('/')}{STATUS_LISTS_PATH}{name}"


def status_list_credential_build(
    *,
    status_list: StatusList,
    url: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    purpose: str = STATUS_PURPOSE,
    site_url: str | None = None,
) -> dict:
    """The unsigned BitstringStatusListCredential publishing `status_list` at `url` for `purpose`
    ("revocation" or "suspension"); sign it with `credentials.credential_sign` each time a bit
    changes. `valid_until` tells verifiers how long a cached copy may be trusted."""
    document = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": key_document_url(site_url=site_url),
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": status_list.encode(),
        },
    }
    if valid_until is not None:
        document["validUntil"] = xsd_datetime(valid_until)
    return document


def credential_revoked(*, credential: dict, status_list_credential: dict, public_key: Ed25519PublicKey) -> bool:
    """Whether `credential`'s revocation bit is set in `status_list_credential`, after checking that
    the list is signed by `public_key` and is the one the credential points to. Raises ValueError
    when the list cannot be trusted or does not match, rather than guessing "not revoked"."""
    entry = credential.get("credentialStatus") or {}
    if entry.get("type") != "BitstringStatusListEntry" or entry.get("statusPurpose") != STATUS_PURPOSE:
        raise ValueError("the credential has no revocation status entry")
    if not credential_verify(status_list_credential, public_key):
        raise ValueError("the status list's signature does not verify")
    subject = status_list_credential.get("credentialSubject") or {}
    if status_list_credential.get("id") != entry.get("statusListCredential"):
        raise ValueError("the status list is not the one the credential points to")
    if subject.get("statusPurpose") != STATUS_PURPOSE:
        raise ValueError("the status list is not a revocation list")
    return StatusList.decode(subject.get("encodedList")).get(int(entry["statusListIndex"]))
