"""Looking a certificate up as a stranger would: by the serial printed on it, or by the PDF itself.

A serial is checked before the database is asked, so a mistyped one (wrong check symbol) is told
apart from one that is well-formed but unknown. A PDF is genuine when its SHA-256 is that of a PDF
we issued; a PDF that names one of our serials but hashes differently was changed after issue.
Nothing here returns more than the public facts a certificate prints.
"""

import enum
import hashlib
import io
import logging
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.certificates.serials import SerialStatus, serial_check
from certifications.certificates.status import CertificateStatus, certificate_status
from certifications.models import Certificate, CertificateEvent
from certifications.models.pages import successor_annotations
from community.ratelimit import client_address, rate_limit_exceeded

logger = logging.getLogger(__name__)

PDF_MAX_BYTES = 5 * 1024 * 1024
# The certificate is one page; an altered copy may have gained a cover page or two.
PDF_PAGES_READ = 3
# Serials as printed, and as a PDF's text layer may space or break them; overlapping matches, so a
# word that happens to start with "PA" cannot swallow the serial after it.
_SERIAL_PATTERN = re.compile(r"(?<![0-9A-Z])(?=(PA[\s-]*(?:[0-9A-Z][\s-]*){11}[0-9A-Z]))", re.IGNORECASE)


class LookupStatus(enum.StrEnum):
    MALFORMED = "malformed"
    MISTYPED = "mistyped"
    UNKNOWN = "unknown"
    FOUND = "found"


class PdfVerdict(enum.StrEnum):
    GENUINE = "genuine"
    ALTERED = "altered"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SerialLookup:
    """`serial` is the canonical form of what was typed (None when malformed); `certificate` is
    set only when `status` is FOUND."""

    status: LookupStatus
    serial: str | None
    certificate: Certificate | None = None


@dataclass(frozen=True)
class PdfCheck:
    """`certificate` is the one the PDF was issued as (genuine) or claims to be (altered).
    `superseded`: genuine, but an earlier rendering, since replaced by a regenerated PDF (a new
    layout of the same facts)."""

    verdict: PdfVerdict
    sha256: str
    certificate: Certificate | None = None
    superseded: bool = False


def lookup_rate_exceeded(request: HttpRequest) -> bool:
    """Count one look-up (page, upload or API) by the request's client against
    `settings.VERIFY_RATE_LIMIT` per minute; True once that address has spent its budget."""
    return rate_limit_exceeded(scope="verify", key=client_address(request), limit=settings.VERIFY_RATE_LIMIT, window=60)


def certificates_public() -> QuerySet[Certificate]:
    """Certificates with what a public page prints of them, in one query: the printed facts live
    on the certificate row itself, the certification page joins for its link, and the version
    that supersedes it, if any, is annotated (`successor_title`, `successor_until`)."""
    return Certificate.objects.select_related("certification").annotate(**successor_annotations("certification_id"))


def certificate_public_status(certificate: Certificate, *, today: date | None = None) -> CertificateStatus:
    """Valid, expired or revoked: a verifier is not told that a certificate expires soon."""
    return certificate_status(certificate, day=today or timezone.localdate())


def certificate_lookup(*, text: str) -> SerialLookup:
    """Find the certificate whose serial is `text`, however typed (case, spaces, dashes, I/L/O for
    1/0). At most one query, none for a malformed or mistyped serial."""
    check = serial_check(text or "")
    if check.status is SerialStatus.MALFORMED:
        return SerialLookup(LookupStatus.MALFORMED, None)
    if check.status is SerialStatus.MISTYPED:
        return SerialLookup(LookupStatus.MISTYPED, check.serial)
    certificate = certificates_public().filter(serial=check.serial).first()
    if certificate is None:
        return SerialLookup(LookupStatus.UNKNOWN, check.serial)
    return SerialLookup(LookupStatus.FOUND, check.serial, certificate)


def pdf_check(*, upload) -> PdfCheck:
    """Compare an uploaded file with the PDFs we issued, current or since regenerated. Raises
    ValidationError when the file is empty, larger than `PDF_MAX_BYTES` or not a PDF. Three
    queries at most: the current hashes, the hashes of earlier renderings, then the serials the
    file's text names."""
    if upload.size is not None and upload.size > PDF_MAX_BYTES:
        raise ValidationError(pdf_too_large_message(), code="too_large")
    data = upload.read(PDF_MAX_BYTES + 1)
    if len(data) > PDF_MAX_BYTES:
        raise ValidationError(pdf_too_large_message(), code="too_large")
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if b"%PDF-" not in data[:1024]:
        raise ValidationError(
            _("This file is not a PDF. Upload the certificate PDF as it was sent to you."), code="not_pdf"
        )
    digest = hashlib.sha256(data).hexdigest()
    genuine = certificates_public().filter(pdf_sha256=digest).first()
    if genuine is not None:
        return PdfCheck(PdfVerdict.GENUINE, digest, genuine)
    # Every rendering is recorded with its hash, so a PDF sent out before a regeneration still
    # proves itself (its facts are the certificate's; only the layout has changed since).
    earlier = (
        certificates_public()
        .filter(events__kind=CertificateEvent.Kind.PDF_RENDERED, events__data__sha256=digest)
        .first()
    )
    if earlier is not None:
        return PdfCheck(PdfVerdict.GENUINE, digest, earlier, superseded=True)
    serials = _serials_named_in(data)
    claimed = certificates_public().filter(serial__in=serials).first() if serials else None
    if claimed is not None:
        return PdfCheck(PdfVerdict.ALTERED, digest, claimed)
    return PdfCheck(PdfVerdict.UNKNOWN, digest)


def pdf_too_large_message() -> str:
    """What an upload over `PDF_MAX_BYTES` is told, whether refused unread or after reading."""
    return _("The file is larger than %(size)d MB; a certificate PDF is far smaller.") % {
        "size": PDF_MAX_BYTES // (1024 * 1024)
    }


def _serials_named_in(data: bytes) -> list[str]:
    """Well-formed serials found in the PDF's text and metadata. The file comes from anyone, so a
    PDF the parser chokes on simply names no serial."""
    import pypdf

    texts = []
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        texts.extend(str(value) for value in (reader.metadata or {}).values())
        for page in reader.pages[:PDF_PAGES_READ]:
            texts.append(page.extract_text() or "")
    except Exception:  # noqa: BLE001 - any parser failure on untrusted input means "no serial found"
        logger.info("Uploaded PDF could not be read for serials", exc_info=True)
    found = []
    for match in _SERIAL_PATTERN.finditer("\n".join(texts)):
        check = serial_check(match.group(1))
        if check.ok and check.serial not in found:
            found.append(check.serial)
    return found
