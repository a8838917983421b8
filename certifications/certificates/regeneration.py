"""Bulk regeneration of a vendor's certificate PDFs after a template, logo or signatory change:
only each file and its hash change, never the serial, the dates or the printed names. The chunks
run as the Celery task `certifications.certificates.tasks.certificate_pdf_batch_run`."""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.certificates.issuing import certificate_pdf_render_and_store
from certifications.models import Certificate, CertificateEvent, CertificatePdfBatch
from community.models import User, Vendor

logger = logging.getLogger(__name__)

REGENERATION_CHUNK = 25
# A batch that has not finished after this long is taken to have lost its tasks and no longer
# blocks a new one.
BATCH_STALE_AFTER = timedelta(hours=1)


class RegenerationRunning(ValidationError):
    """The vendor's previous regeneration is still running."""


def certificate_pdfs_regenerate(
    *,
    vendor: Vendor,
    requested_by: User | None = None,
    now: datetime | None = None,
    chunk_size: int = REGENERATION_CHUNK,
) -> CertificatePdfBatch:
    """Start re-rendering the PDFs of all the vendor's certificates that are not revoked (after a
    template, logo or signatory change), as Celery tasks of `chunk_size` certificates queued when
    this commits. Returns the batch, whose `done` and `failed` count up as the tasks run. Refuses
    with `RegenerationRunning` while the vendor's previous batch is still running."""
    now = now or timezone.now()
    with transaction.atomic():
        Vendor.objects.select_for_update().filter(pk=vendor.pk).first()
        running = CertificatePdfBatch.objects.filter(
            vendor=vendor, finished_at__isnull=True, created_at__gt=now - BATCH_STALE_AFTER
        ).exists()
        if running:
            raise RegenerationRunning(_("A regeneration of this vendor's PDFs is still running."))
        ids = list(
            Certificate.objects.filter(vendor=vendor)
            .exclude(status=Certificate.Status.REVOKED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        batch = CertificatePdfBatch.objects.create(
            vendor=vendor, requested_by=requested_by, created_at=now, total=len(ids), finished_at=None if ids else now
        )
        chunks = [ids[start : start + chunk_size] for start in range(0, len(ids), chunk_size)]
        transaction.on_commit(lambda: _batch_queue(batch_id=batch.pk, chunks=chunks))
    return batch


def _batch_queue(*, batch_id: int, chunks: list[list[int]]) -> None:
    from certifications.certificates.tasks import certificate_pdf_batch_run

    for chunk in chunks:
        certificate_pdf_batch_run.delay(batch_id, chunk)


def certificate_pdf_batch_chunk(*, batch_id: int, certificate_ids: list[int]) -> tuple[int, int]:
    """Re-render `certificate_ids` for the batch and count each as done or failed; returns this
    run's (done, failed). Safe to run twice: a certificate already rendered for this batch is
    skipped. One failing certificate is logged and counted, and does not stop the others."""
    batch = CertificatePdfBatch.objects.get(pk=batch_id)
    rendered_before = set(
        CertificateEvent.objects.filter(
            certificate_id__in=certificate_ids, kind=CertificateEvent.Kind.PDF_RENDERED, data__batch=batch_id
        ).values_list("certificate_id", flat=True)
    )
    done = failed = 0
    for certificate_id in certificate_ids:
        if certificate_id in rendered_before:
            continue
        try:
            certificate_pdf_render_and_store(certificate_id=certificate_id, force=True, batch=batch)
            done += 1
        except Exception:
            logger.exception("Regenerating the PDF of certificate %s (batch %s) failed", certificate_id, batch_id)
            CertificatePdfBatch.objects.filter(pk=batch_id).update(failed=F("failed") + 1)
            failed += 1
    CertificatePdfBatch.objects.filter(
        pk=batch_id, finished_at__isnull=True, total__lte=F("done") + F("failed")
    ).update(finished_at=timezone.now())
    return done, failed
