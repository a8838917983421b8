"""Background work for certificates: PDFs, their bulk regeneration, the daily sweeps and the
revocation e-mail. Task names are pinned so that queued tasks and the beat schedule keep their
names whatever module holds them."""

from celery import shared_task
from django.core.exceptions import ObjectDoesNotExist
from django.db import OperationalError

from certifications.certificates import issuing, legacy_import, lifecycle, regeneration


@shared_task(
    name="certifications.tasks.certificate_pdf_generate",
    autoretry_for=(Exception,),
    dont_autoretry_for=(ObjectDoesNotExist,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def certificate_pdf_generate(certificate_id: int, force: bool = False, email: bool = True) -> str:
    """Render and store a certificate's PDF, then e-mail it to the holder (unless not `email`:
    an imported certificate's holder had it from the vendor's previous system). Retries with
    backoff on failure; safe to run twice (a stored PDF is kept unless `force`, the e-mail goes
    out once). Returns the PDF's SHA-256."""
    certificate = issuing.certificate_pdf_render_and_store(certificate_id=certificate_id, force=force)
    if email:
        issuing.certificate_pdf_email(certificate_id=certificate_id)
    return certificate.pdf_sha256


@shared_task(name="certifications.tasks.certificate_pdf_batch_run")
def certificate_pdf_batch_run(batch_id: int, certificate_ids: list[int]) -> list[int]:
    """Re-render one chunk of a bulk PDF regeneration, counting each certificate as done or
    failed on the batch; returns this run's [done, failed]. Safe to run twice."""
    return list(regeneration.certificate_pdf_batch_chunk(batch_id=batch_id, certificate_ids=certificate_ids))


@shared_task(
    name="certifications.tasks.certificates_daily",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def certificates_daily() -> dict[str, int]:
    """Daily: mark certificates whose expiry date has come as expired, then send the 60, 30 and
    7-day expiry reminders. Idempotent: a second run the same day expires and sends nothing."""
    return {"expired": lifecycle.certificates_expire(), "reminded": lifecycle.certificate_reminders_send()}


@shared_task(
    name="certifications.tasks.certificate_revocation_email",
    autoretry_for=(Exception,),
    dont_autoretry_for=(ObjectDoesNotExist,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def certificate_revocation_email(certificate_id: int) -> None:
    """Tell the holder their certificate was revoked; retried when sending fails."""
    lifecycle.certificate_revocation_email_send(certificate_id=certificate_id)


@shared_task(name="certifications.tasks.certificate_import_run", acks_late=True)
def certificate_import_run(import_id: int) -> list[int]:
    """The real run of a certificate import; returns [rows done, certificates created]. Safe to
    run twice and to resume after a crash: rows already imported are skipped."""
    result = legacy_import.certificate_import_run(import_id=import_id)
    return [result.done, result.created]


@shared_task(
    name="certifications.tasks.certificate_import_welcome",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def certificate_import_welcome(user_id: int, import_id: int) -> bool:
    """Invite the holder of a new account an import created to choose a password and see their
    certificates; returns whether it was sent (not to an account that has chosen one since)."""
    return legacy_import.certificate_import_welcome_send(user_id=user_id, import_id=import_id)
