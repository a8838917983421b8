"""Correcting the name printed on a certificate: the holder asks, with a reason; one of the
vendor's programme managers approves or rejects. Approval prints the new name on the
certificate (verification and the Open Badges credential, signed when served, follow at once),
keeps the PDF printed before as superseded and renders a new one through the issuing service.
Each step is a certificate event naming who, when and the old and new name; the holder hears
of the decision by e-mail in their language."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.certificates.pdf import certificate_verification_url
from certifications.models import Certificate, CertificateEvent, NameCorrection
from community.emails import templated_email
from community.models import User
from community.selectors import user_is_vendor_manager


def name_correction_request(
    *, certificate: Certificate, user: User, new_name: str, reason: str, now: datetime | None = None
) -> NameCorrection:
    """Only the holder, for a certificate not revoked, one pending request at a time (the
    certificate row is locked, and a partial unique constraint backs it)."""
    now = now or timezone.now()
    new_name, reason = " ".join(new_name.split()), reason.strip()
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.holder_id != user.pk:
            raise ValidationError(_("Only the holder may ask to correct the printed name."))
        if certificate.status == Certificate.Status.REVOKED:
            raise ValidationError(_("A revoked certificate cannot be corrected."))
        if not new_name or not reason:
            raise ValidationError(_("Give the corrected name and a reason."))
        if new_name == certificate.holder_name:
            raise ValidationError(_("This is already the printed name."))
        if certificate.name_corrections.filter(status=NameCorrection.Status.PENDING).exists():
            raise ValidationError(_("A correction of this certificate is already waiting for a decision."))
        correction = NameCorrection.objects.create(
            certificate=certificate,
            requested_by=user,
            requested_at=now,
            old_name=certificate.holder_name,
            new_name=new_name,
            reason=reason,
        )
        _event(correction, CertificateEvent.Kind.NAME_CORRECTION_REQUESTED, actor=user, at=now, note=reason)
    return correction


def name_correction_decide(
    *, correction: NameCorrection, decided_by: User, approve: bool, note: str = "", now: datetime | None = None
) -> NameCorrection:
    """A programme manager of the certificate's vendor decides a pending request, once."""
    now = now or timezone.now()
    with transaction.atomic():
        correction = NameCorrection.objects.select_for_update().select_related("certificate").get(pk=correction.pk)
        certificate = Certificate.objects.select_for_update().get(pk=correction.certificate_id)
        if not user_is_vendor_manager(user=decided_by, vendor=certificate.vendor):
            raise ValidationError(_("Only the vendor's programme managers decide name corrections."))
        if correction.status != NameCorrection.Status.PENDING:
            raise ValidationError(_("This request has already been decided."))
        correction.status = NameCorrection.Status.APPROVED if approve else NameCorrection.Status.REJECTED
        correction.decided_by, correction.decided_at, correction.decision_note = decided_by, now, note.strip()
        if approve:
            # The old file stays where it is, now named by the correction; the certificate gets a
            # fresh PDF, so rendering never deletes what was printed before.
            correction.superseded_pdf.name = certificate.pdf.name
            correction.superseded_pdf_sha256 = certificate.pdf_sha256
            certificate.holder_name = correction.new_name
            certificate.pdf, certificate.pdf_sha256, certificate.pdf_rendered_at = "", "", None
            certificate.save(update_fields=["holder_name", "pdf", "pdf_sha256", "pdf_rendered_at"])
            transaction.on_commit(lambda: _pdf_queue(certificate_id=certificate.pk))
        correction.save()
        kind = CertificateEvent.Kind.NAME_CORRECTED if approve else CertificateEvent.Kind.NAME_CORRECTION_REJECTED
        _event(correction, kind, actor=decided_by, at=now, note=correction.decision_note)
        transaction.on_commit(lambda: _decision_email(correction_id=correction.pk))
    return correction


def _event(correction: NameCorrection, kind: str, *, actor: User, at: datetime, note: str) -> None:
    CertificateEvent.objects.create(
        certificate_id=correction.certificate_id,
        kind=kind,
        at=at,
        actor=actor,
        note=note,
        data={"correction": correction.pk, "old_name": correction.old_name, "new_name": correction.new_name},
    )


def _pdf_queue(*, certificate_id: int) -> None:
    from certifications.certificates.tasks import certificate_pdf_generate

    certificate_pdf_generate.delay(certificate_id)


def _decision_email(*, correction_id: int) -> None:
    correction = NameCorrection.objects.select_related("certificate__holder").get(pk=correction_id)
    certificate, holder = correction.certificate, correction.certificate.holder
    context = {
        "correction": correction,
        "certificate": certificate,
        "approved": correction.status == NameCorrection.Status.APPROVED,
        "verification_url": certificate_verification_url(serial=certificate.serial),
        "site_url": settings.SITE_URL,
    }
    templated_email(
        "certifications/email/name_correction", context, to=holder.email, language=holder.preferred_language
    ).send()
