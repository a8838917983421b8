"""Issuing certificates and their PDFs.

`certificate_issue` turns a passed attempt into exactly one certificate, freezing what it prints.
`certificate_pdf_render_and_store` renders that certificate once with the vendor's template and
stores the file and its SHA-256; `certificate_pdf_email` sends it to the holder once. Both run in
the Celery task `certifications.certificates.tasks.certificate_pdf_generate`, queued when the issue commits.
Bulk regeneration after a template change is in `certifications.certificates.regeneration`."""

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.certificates.pdf import CertificateContent, certificate_pdf_render, certificate_verification_url
from certifications.certificates.renewal import add_months, holder_local_date, renewable_on_q
from certifications.certificates.serials import serial_generate
from certifications.certificates.signals import certificate_changed
from certifications.models import (
    Certificate,
    CertificateEvent,
    CertificateImport,
    CertificatePdfBatch,
    CertificateTemplate,
    CertificationPage,
    CertificationRequiredCourse,
    DeliveryRightEvent,
    ExamAttempt,
)
from certifications.rights.services import rights_recompute_queue, rights_recompute_queue_for_holder
from community.emails import templated_email
from community.models import User, Vendor
from community.selectors import current_organisation_ids
from courses.selectors import course_completions

logger = logging.getLogger(__name__)

# A serial collision needs two equal 55-bit random draws; a few retries make failure impossible in practice.
SERIAL_TRIES = 5


class NotPassed(ValidationError):
    """Only a graded, passed attempt earns a certificate."""


class RequiredCoursesIncomplete(ValidationError):
    """A pass earns a certificate only once its holder has completed every course the
    certification requires."""


# --- Issue ----------------------------------------------------------------------------------


def certificate_issue(*, attempt: ExamAttempt, now: datetime | None = None) -> Certificate:
    """The certificate of a passed attempt, issued on the first call and returned as it is on
    every later one. Refuses (`NotPassed`) an attempt not graded as passed and
    (`RequiredCoursesIncomplete`) one whose holder has not completed, in any of their languages,
    every course the certification requires.

    Exactly one per attempt, even when two processes call at once: issues of one attempt are
    serialised by locking the attempt row (grading already holds it), and the unique
    `Certificate.attempt` backs that up (a losing insert returns the winner's certificate).
    Freezes the printed name, certification, vendor, products, language and dates (in the holder's
    time zone). Within the renewal window of a valid certificate of the same certification, the
    new one renews it and its validity runs on from the old expiry.
    Writes the audit events and, once the transaction commits, queues the PDF task and the
    holder's organisation's delivery-rights recomputation, and sends `certificate_changed`
    ("issued", or "renewed" for a renewal)."""
    existing = Certificate.objects.filter(attempt_id=attempt.pk).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            ExamAttempt.objects.select_for_update(of=("self",))
            .select_related("user", "exam__certification__vendor")
            .annotate(courses_missing=Exists(_required_courses_missing()))
            .get(pk=attempt.pk)
        )
        if attempt.status != ExamAttempt.Status.GRADED or not attempt.passed:
            raise NotPassed(_("Only a passed attempt earns a certificate."))
        if attempt.courses_missing:
            raise RequiredCoursesIncomplete(_("Complete the required courses to earn this certificate."))
        existing = Certificate.objects.filter(attempt_id=attempt.pk).first()
        if existing is not None:
            return existing
        holder, certification = attempt.user, attempt.exam.certification
        issued_on = holder_local_date(now, holder.time_zone)
        previous = (
            Certificate.objects.filter(
                renewable_on_q(issued_on, window_days=certification.renewal_window_days),
                holder_id=holder.pk,
                certification_id=certification.pk,
                status=Certificate.Status.VALID,
                renewed_by__isnull=True,
            )
            .order_by("-expires_on")
            .first()
        )
        starts_from = previous.expires_on if previous else issued_on
        certificate, created = _certificate_record(
            holder=holder,
            certification=certification,
            holder_name=holder.printed_name,
            issued_on=issued_on,
            expires_on=add_months(starts_from, certification.validity_months),
            issued_at=now,
            now=now,
            existing=lambda: Certificate.objects.filter(attempt_id=attempt.pk).first(),
            previous=previous,
            fields={"attempt": attempt},
            event_data={"attempt": attempt.pk, "renews": previous.serial if previous else None},
        )
        if not created:
            return certificate
        change = "renewed" if previous is not None else "issued"
        transaction.on_commit(lambda: _pdf_generate_queue(certificate_id=certificate.pk))
        transaction.on_commit(lambda: _issue_announce(certificate, change))
    return certificate


def certificate_issue_imported(
    *,
    holder: User,
    certification: CertificationPage,
    holder_name: str,
    issued_on: date,
    expires_on: date,
    legacy_id: str,
    legacy_import: CertificateImport | None = None,
    now: datetime | None = None,
    follow_up: bool = True,
) -> tuple[Certificate, bool]:
    """Record a certificate the vendor issued in its previous system, as a passed exam's would be
    (fresh serial, frozen printed facts, products, "issued" event, PDF, credential) but with its
    original dates and marked imported with `legacy_id`. One per vendor and `legacy_id`, even when
    two imports race (the unique `(vendor, legacy_id)` backs it up): a repeated call returns the
    certificate already recorded, and says whether this call created it. One already past its
    expiry date is recorded as expired. `expires_on` must be after `issued_on`.

    With `follow_up`, once the transaction commits, queues its PDF (not e-mailed: the holder had
    it from the old system) and the holder's organisation's rights recomputation, and sends
    `certificate_changed` ("issued"); a bulk import passes False and calls
    `certificates_imported_follow_up` once for all it created."""
    now = now or timezone.now()
    vendor_id = certification.vendor_id

    def existing() -> Certificate | None:
        return Certificate.objects.filter(vendor_id=vendor_id, legacy_id=legacy_id).first()

    with transaction.atomic():
        found = existing()
        if found is not None:
            return found, False
        expired = expires_on <= holder_local_date(now, holder.time_zone)
        certificate, created = _certificate_record(
            holder=holder,
            certification=certification,
            holder_name=holder_name,
            issued_on=issued_on,
            expires_on=expires_on,
            issued_at=datetime.combine(issued_on, time.min, tzinfo=UTC),
            now=now,
            existing=existing,
            fields={
                "legacy_id": legacy_id,
                "legacy_import": legacy_import,
                "imported_at": now,
                "status": Certificate.Status.EXPIRED if expired else Certificate.Status.VALID,
                "expired_at": now if expired else None,
            },
            event_data={
                "imported": True,
                "legacy_id": legacy_id,
                "import": legacy_import.pk if legacy_import else None,
            },
        )
        if created and follow_up:
            transaction.on_commit(lambda: certificates_imported_follow_up(certificates=[certificate]))
    return certificate, created


def certificates_imported_follow_up(*, certificates: list[Certificate], organisations: bool = True) -> None:
    """What follows imported certificates' commit, once for all of them: each one's PDF task
    (rendered, not e-mailed) and `certificate_changed` ("issued"), and (with `organisations`)
    one rights recomputation per organisation any of their holders currently belongs to: the
    rights that come out are those issuing them one by one would leave. A bulk import leaves
    the recomputation to its end."""
    from certifications.certificates.tasks import certificate_pdf_generate

    for certificate in certificates:
        certificate_pdf_generate.delay(certificate.pk, email=False)
    for certificate in certificates:
        certificate_changed.send(sender=Certificate, certificate=certificate, change="issued")
    if not organisations:
        return
    holder_ids = {certificate.holder_id for certificate in certificates}
    for organisation_id in current_organisation_ids(user_ids=holder_ids):
        rights_recompute_queue(organisation_id=organisation_id, cause=DeliveryRightEvent.Cause.CERTIFICATE_ISSUED)


def _required_courses_missing() -> QuerySet[CertificationRequiredCourse]:
    """For an `Exists` in a query of attempts: the attempt's certification's required courses that
    its candidate has not completed."""
    completed = course_completions(
        user=OuterRef(OuterRef("user_id")), translation_key=OuterRef("course__translation_key")
    )
    return CertificationRequiredCourse.objects.filter(certification_id=OuterRef("exam__certification_id")).exclude(
        Exists(completed)
    )


ISSUE_CAUSES = {
    "issued": DeliveryRightEvent.Cause.CERTIFICATE_ISSUED,
    "renewed": DeliveryRightEvent.Cause.CERTIFICATE_RENEWED,
}


def _issue_announce(certificate: Certificate, change: str) -> None:
    rights_recompute_queue_for_holder(holder=certificate.holder, cause=ISSUE_CAUSES[change])
    certificate_changed.send(sender=Certificate, certificate=certificate, change=change)


def _certificate_record(
    *,
    holder: User,
    certification: CertificationPage,
    holder_name: str,
    issued_on: date,
    expires_on: date,
    issued_at: datetime,
    now: datetime,
    existing: Callable[[], Certificate | None],
    previous: Certificate | None = None,
    fields: dict,
    event_data: dict,
) -> tuple[Certificate, bool]:
    """What every issue writes, whether for a passed attempt or an import: the certificate under a
    fresh serial with its printed facts frozen, its products, its "issued" event and, when it
    renews `previous`, that one's "renewed" event. Says whether
    it was created: when the insert loses to another issue of the same certificate (`existing`
    finds it), that one is returned instead and nothing else is written."""
    products = list(certification.products.order_by("name"))
    fields = {
        "holder": holder,
        "certification": certification,
        "vendor": certification.vendor,
        "holder_name": holder_name,
        "certification_title": certification.title,
        "vendor_name": certification.vendor.name,
        "product_names": [product.name for product in products],
        "language": holder.preferred_language,
        "issued_on": issued_on,
        "expires_on": expires_on,
        "issued_at": issued_at,
        "renews": previous,
        **fields,
    }
    certificate, created = _create_with_fresh_serial(fields=fields, existing=existing)
    if created:
        Certificate.products.through.objects.bulk_create(
            Certificate.products.through(certificate_id=certificate.pk, product_id=product.pk) for product in products
        )
        events = [CertificateEvent(certificate=certificate, kind=CertificateEvent.Kind.ISSUED, at=now, data=event_data)]
        if previous is not None:
            events.append(
                CertificateEvent(
                    certificate=previous,
                    kind=CertificateEvent.Kind.RENEWED,
                    at=now,
                    data={"renewed_by": certificate.serial},
                )
            )
        if fields.get("status") == Certificate.Status.EXPIRED:
            events.append(CertificateEvent(certificate=certificate, kind=CertificateEvent.Kind.EXPIRED, at=now))
        CertificateEvent.objects.bulk_create(events)
    return certificate, created


def _create_with_fresh_serial(*, fields: dict, existing: Callable[[], Certificate | None]) -> tuple[Certificate, bool]:
    """Insert the certificate under a new serial, and say whether it was created: if the insert
    loses to another issue of the same certificate, that one is returned instead."""
    for _try in range(SERIAL_TRIES):
        serial = serial_generate()
        try:
            with transaction.atomic():
                return Certificate.objects.create(serial=serial, **fields), True
        except IntegrityError:
            winner = existing()
            if winner is not None:
                return winner, False
            if not Certificate.objects.filter(serial=serial).exists():
                raise
    raise IntegrityError(f"no free serial after {SERIAL_TRIES} tries")


def _pdf_generate_queue(*, certificate_id: int) -> None:
    # Imported here: the tasks module imports this one for the work it runs.
    from certifications.certificates.tasks import certificate_pdf_generate

    certificate_pdf_generate.delay(certificate_id)


# --- PDF ------------------------------------------------------------------------------------


def vendor_template(*, vendor_id: int) -> CertificateTemplate | None:
    return CertificateTemplate.objects.filter(vendor_id=vendor_id).first()


def vendor_logo_bytes(vendor: Vendor) -> bytes | None:
    """The bytes of the vendor's logo image file, or None. A logo whose file is gone prints as
    no logo rather than failing every certificate of the vendor."""
    if vendor.logo_id is None:
        return None
    try:
        with vendor.logo.file.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        logger.warning("Logo file of vendor %s cannot be read; certificates print without it", vendor.pk)
        return None


def certificate_printed_content(
    certificate: Certificate, *, template: CertificateTemplate | None = None
) -> CertificateContent:
    """What the certificate's PDF prints: the facts frozen at issue, with the vendor's current logo,
    brand colour and (from `template`) signatory."""
    vendor = certificate.vendor
    return CertificateContent(
        serial=certificate.serial,
        holder_name=certificate.holder_name,
        certification_name=certificate.certification_title,
        vendor_name=certificate.vendor_name,
        products=tuple(certificate.product_names),
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        brand_colour=vendor.brand_colour,
        vendor_logo=vendor_logo_bytes(vendor),
        signatory_name=template.signatory_name if template else "",
        signatory_title=template.signatory_title if template else "",
        language=certificate.language,
    )


def template_source(template: CertificateTemplate | None) -> str | None:
    """The vendor's template text, or None for the platform's default layout."""
    return template.html if template is not None and template.html.strip() else None


def certificate_pdf_render_and_store(
    *,
    certificate_id: int,
    force: bool = False,
    batch: CertificatePdfBatch | None = None,
    now: datetime | None = None,
) -> Certificate:
    """Render the certificate's PDF with its vendor's template and store the file and SHA-256.

    Safe to run twice: a certificate that already has its PDF is returned untouched unless `force`
    (regeneration). The certificate row is locked while rendering, so two runs at once render once.
    A regenerated PDF replaces the stored file (the old one is deleted after commit) and its event
    keeps the previous hash. Within `batch`, counts the certificate as done in the same transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",)).select_related("vendor__logo").get(pk=certificate_id)
        )
        if certificate.pdf and not force:
            return certificate
        template = vendor_template(vendor_id=certificate.vendor_id)
        rendered = certificate_pdf_render(
            certificate=certificate_printed_content(certificate, template=template),
            template_source=template_source(template),
        )
        previous_name, previous_sha256 = certificate.pdf.name, certificate.pdf_sha256
        # A random part in the file name: where media files are public, knowing a serial is not
        # enough to fetch the PDF; the download view decides who may.
        name = f"{certificate.serial}-{secrets.token_urlsafe(12)}.pdf"
        certificate.pdf.save(name, ContentFile(rendered.content), save=False)
        certificate.pdf_sha256 = rendered.sha256
        certificate.pdf_rendered_at = now
        certificate.save(update_fields=["pdf", "pdf_sha256", "pdf_rendered_at"])
        data = {"sha256": rendered.sha256, "previous_sha256": previous_sha256 or None}
        if batch is not None:
            data["batch"] = batch.pk
            CertificatePdfBatch.objects.filter(pk=batch.pk).update(done=F("done") + 1)
        CertificateEvent.objects.create(
            certificate=certificate, kind=CertificateEvent.Kind.PDF_RENDERED, at=now, data=data
        )
        if previous_name and previous_name != certificate.pdf.name:
            storage = certificate.pdf.storage
            transaction.on_commit(lambda: storage.delete(previous_name))
    return certificate


def certificate_pdf_email(*, certificate_id: int, now: datetime | None = None) -> bool:
    """E-mail the holder their certificate with the PDF attached, in their language; returns
    whether this call sent it. Sent once: the certificate's row is locked while the message goes
    out and `pdf_emailed_at` is set in that same transaction, so a second run (or a run for a
    regenerated PDF) sends nothing, a concurrent one skips it, and a send that fails, or a worker
    that dies mid-send, leaves it unsent for the task's retry or redelivery."""
    now = now or timezone.now()
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(pk=certificate_id, pdf_emailed_at__isnull=True)
            .exclude(pdf="")
            .exclude(status=Certificate.Status.REVOKED)
            .select_related("holder")
            .first()
        )
        if certificate is None:
            return False
        _certificate_email_send(certificate)
        Certificate.objects.filter(pk=certificate_id).update(pdf_emailed_at=now)
        CertificateEvent.objects.create(certificate=certificate, kind=CertificateEvent.Kind.PDF_EMAILED, at=now)
    return True


def _certificate_email_send(certificate: Certificate) -> None:
    holder = certificate.holder
    with certificate.pdf.open("rb") as handle:
        pdf = handle.read()
    context = {
        "certificate": certificate,
        "holder": holder,
        "verification_url": certificate_verification_url(serial=certificate.serial),
        "site_url": settings.SITE_URL,
    }
    message = templated_email(
        "certifications/email/certificate_ready", context, to=holder.email, language=holder.preferred_language
    )
    message.attach(f"{certificate.serial}.pdf", pdf, "application/pdf")
    message.send()
