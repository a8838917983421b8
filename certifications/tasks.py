"""Background work for certifications: exam sweeps, certificate PDFs, delivery rights."""

from celery import shared_task
from django.core.exceptions import ObjectDoesNotExist
from django.db import OperationalError

from certifications import issuing, services


@shared_task
def attempts_submit_overdue() -> int:
    """Submit attempts whose deadline has passed with the answers saved by then (the beat runs it
    every minute; safe to run twice, since grading happens once per attempt)."""
    return services.attempts_submit_overdue()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def rights_recompute(*, organisation_id: int, cause: str) -> list[str]:
    """Recompute one organisation's delivery rights (after a certificate or membership change).
    Idempotent: a second run finds nothing to change."""
    from certifications.rights import rights_recompute_organisation

    return rights_recompute_organisation(organisation_id=organisation_id, cause=cause)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def rights_recompute_product(*, product_id: int, cause: str) -> int:
    """Recompute the rights a product's rule concerns (after the rule changed)."""
    from certifications.rights import rights_recompute_product as recompute

    return recompute(product_id=product_id, cause=cause)


@shared_task
def rights_recheck_all() -> int:
    """Nightly: re-check every delivery right, report and fix drift, lapse ended graces.
    Returns how many rights had drifted."""
    from certifications.rights import rights_recheck_all as recheck

    return recheck().drifted


@shared_task(
    autoretry_for=(Exception,),
    dont_autoretry_for=(ObjectDoesNotExist,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def certificate_pdf_generate(certificate_id: int, force: bool = False) -> str:
    """Render and store a certificate's PDF, then e-mail it to the holder. Retries with backoff on
    failure; safe to run twice (a stored PDF is kept unless `force`, the e-mail goes out once).
    Returns the PDF's SHA-256."""
    certificate = issuing.certificate_pdf_render_and_store(certificate_id=certificate_id, force=force)
    issuing.certificate_pdf_email(certificate_id=certificate_id)
    return certificate.pdf_sha256


@shared_task
def certificate_pdf_batch_run(batch_id: int, certificate_ids: list[int]) -> list[int]:
    """Re-render one chunk of a bulk PDF regeneration, counting each certificate as done or
    failed on the batch; returns this run's [done, failed]. Safe to run twice."""
    return list(issuing.certificate_pdf_batch_chunk(batch_id=batch_id, certificate_ids=certificate_ids))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def certificates_daily() -> dict[str, int]:
    """Daily: mark certificates whose expiry date has come as expired, then send the 60, 30 and
    7-day expiry reminders. Idempotent: a second run the same day expires and sends nothing."""
    from certifications.lifecycle import certificate_reminders_send, certificates_expire

    return {"expired": certificates_expire(), "reminded": certificate_reminders_send()}


@shared_task(
    autoretry_for=(Exception,),
    dont_autoretry_for=(ObjectDoesNotExist,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def certificate_revocation_email(certificate_id: int) -> None:
    """Tell the holder their certificate was revoked; retried when sending fails."""
    from certifications.lifecycle import certificate_revocation_email_send

    certificate_revocation_email_send(certificate_id=certificate_id)
