"""Bulk ZIPs of certificate PDFs for a vendor's programme managers. A request names one
certification, one partner (the certificates of its current members) or a range of issue dates;
a background task writes the stored PDFs (rendering any not yet rendered, through the issuing
service) one at a time into a temporary file, so memory holds one PDF at most, and keeps the ZIP
in the media storage for `ARCHIVE_HOURS`, after which the link stops working and the hourly sweep
deletes it."""

import shutil
import tempfile
import zipfile
from datetime import date, datetime, timedelta

from django.core.files import File
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from certifications.certificates.issuing import certificate_pdf_render_and_store
from certifications.models import Certificate, CertificateArchive, CertificationPage
from community.models import Membership, PartnerOrganisation, User, Vendor

ARCHIVE_HOURS = 24
PROGRESS_EVERY = 25


def certificate_archive_request(
    *,
    vendor: Vendor,
    requested_by: User,
    certification: CertificationPage | None = None,
    organisation: PartnerOrganisation | None = None,
    issued_from: date | None = None,
    issued_to: date | None = None,
    now: datetime | None = None,
) -> CertificateArchive:
    """Record the request and queue its build once committed (in process without a broker)."""
    now = now or timezone.now()
    with transaction.atomic():
        archive = CertificateArchive.objects.create(
            vendor=vendor,
            requested_by=requested_by,
            certification=certification,
            organisation=organisation,
            issued_from=issued_from,
            issued_to=issued_to,
            created_at=now,
        )
        transaction.on_commit(lambda: _build_queue(archive_id=archive.pk))
    return archive


def _build_queue(*, archive_id: int) -> None:
    from certifications.exports.tasks import certificate_archive_build

    certificate_archive_build.delay(archive_id)


def archive_certificates(archive: CertificateArchive) -> QuerySet[Certificate]:
    """The vendor's certificates the archive asks for, revoked ones included (the file names say
    which serial each is), oldest first."""
    certificates = Certificate.objects.filter(vendor_id=archive.vendor_id)
    if archive.certification_id:
        certificates = certificates.filter(certification_id=archive.certification_id)
    if archive.organisation_id:
        member = Membership.objects.current().filter(organisation_id=archive.organisation_id, user=OuterRef("holder"))
        certificates = certificates.filter(Exists(member))
    if archive.issued_from:
        certificates = certificates.filter(issued_on__gte=archive.issued_from)
    if archive.issued_to:
        certificates = certificates.filter(issued_on__lte=archive.issued_to)
    return certificates.order_by("issued_at", "pk")


def certificate_archive_build(*, archive_id: int, now: datetime | None = None) -> CertificateArchive:
    """Write the archive's ZIP and store it. Safe to run twice: a finished archive is returned
    as it is. Progress (`done` of `total`) is saved every few certificates for the page to show."""
    archive = CertificateArchive.objects.get(pk=archive_id)
    if archive.finished_at:
        return archive
    rows = list(archive_certificates(archive).values_list("pk", "serial", "pdf"))
    CertificateArchive.objects.filter(pk=archive.pk).update(total=len(rows), done=0)
    storage = Certificate._meta.get_field("pdf").storage
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as zipped:
            for done, (pk, serial, name) in enumerate(rows, start=1):
                if not name:
                    name = certificate_pdf_render_and_store(certificate_id=pk).pdf.name
                with storage.open(name, "rb") as pdf, zipped.open(f"{serial}.pdf", "w") as entry:
                    shutil.copyfileobj(pdf, entry)
                if done % PROGRESS_EVERY == 0:
                    CertificateArchive.objects.filter(pk=archive.pk).update(done=done)
        spool.seek(0)
        archive.file.save(f"{archive.vendor.slug}-certificates-{archive.pk}.zip", File(spool), save=False)
    now = now or timezone.now()
    archive.total = archive.done = len(rows)
    archive.finished_at = now
    archive.expires_at = now + timedelta(hours=ARCHIVE_HOURS)
    archive.save(update_fields=["file", "total", "done", "finished_at", "expires_at"])
    return archive


def certificate_archive_fail(*, archive_id: int, now: datetime | None = None) -> None:
    CertificateArchive.objects.filter(pk=archive_id, finished_at__isnull=True).update(
        failed=True, finished_at=now or timezone.now()
    )


def certificate_archives_sweep(*, now: datetime | None = None) -> int:
    """Delete expired archives and their files; returns how many."""
    now = now or timezone.now()
    expired = list(CertificateArchive.objects.filter(expires_at__lte=now))
    for archive in expired:
        if archive.file:
            archive.file.delete(save=False)
    CertificateArchive.objects.filter(pk__in=[a.pk for a in expired]).delete()
    return len(expired)


def archive_is_downloadable(archive: CertificateArchive, *, now: datetime) -> bool:
    return bool(archive.file) and archive.expires_at is not None and archive.expires_at > now
