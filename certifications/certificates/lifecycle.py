"""What happens to certificates after issue: the daily expiry and reminder sweeps, and revocation
by the vendor's programme manager. Renewal is part of issuing (`certifications.certificates.issuing`),
its window defined in `certifications.certificates.renewal`.

Both sweeps are idempotent and run daily in `certifications.certificates.tasks.certificates_daily`: the expiry
sweep changes only certificates that are still marked valid, and each reminder is claimed by its
`CertificateReminder` row before it is sent, so a second run (or two at once) sends nothing new."""

import logging
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.certificates.pdf import certificate_verification_url
from certifications.certificates.renewal import certificate_renewal
from certifications.certificates.signals import certificate_changed
from certifications.models import (
    Certificate,
    CertificateEvent,
    CertificateReminder,
    CertificationPage,
    DeliveryRightEvent,
)
from certifications.rights.services import rights_recompute_queue_for_holder
from community.emails import templated_email
from community.models import User
from community.selectors import user_is_vendor_manager

logger = logging.getLogger(__name__)

# Certificates changed per transaction by the expiry sweep: large enough to be fast, small enough
# that one batch never holds many row locks or a long SQLite write lock.
EXPIRE_BATCH = 2000
# Reminder windows, nearest first: a certificate is reminded for the nearest window it is in.
REMINDER_DAYS = (7, 30, 60)


# --- Expiry ---------------------------------------------------------------------------------


def certificates_expire(*, today: date | None = None) -> int:
    """Mark every valid certificate whose expiry date has come (`expires_on <= today`) as expired,
    in batches of `EXPIRE_BATCH`, each one transaction with an "expired" audit event per
    certificate. Returns how many this call expired.

    Rows are locked while a batch is taken and rows locked by another sweep are skipped, so two
    sweeps at once never expire (or announce) the same certificate twice, nor wait on each other.
    Once each batch commits, each holder's organisation's delivery rights are queued for
    recomputation and `certificate_changed` ("expired") is sent, once per holder with one of that
    holder's certificates: one covers however many of their certificates expired."""
    today = today or timezone.localdate()
    now = timezone.now()
    announced: set[int] = set()
    total = 0
    while True:
        with transaction.atomic():
            # Unordered, so the (status, expires_on) index serves the batch without sorting every
            # due row; rows another sweep has locked are skipped, not waited for.
            rows = list(
                Certificate.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(status=Certificate.Status.VALID, expires_on__lte=today)
                .order_by()
                .values_list("pk", "holder_id", "expires_on")[:EXPIRE_BATCH]
            )
            if not rows:
                return total
            ids = [pk for pk, _holder, _expiry in rows]
            Certificate.objects.filter(pk__in=ids).update(status=Certificate.Status.EXPIRED, expired_at=now)
            CertificateEvent.objects.bulk_create(
                CertificateEvent(
                    certificate_id=pk,
                    kind=CertificateEvent.Kind.EXPIRED,
                    at=now,
                    data={"expires_on": expiry.isoformat()},
                )
                for pk, _holder, expiry in rows
            )
            first_per_holder: dict[int, int] = {}
            for pk, holder_id, _expiry in rows:
                if holder_id not in announced:
                    first_per_holder.setdefault(holder_id, pk)
            announced.update(first_per_holder)
            if first_per_holder:
                transaction.on_commit(partial(_expiry_announce, list(first_per_holder.values())))
        total += len(rows)


def _expiry_announce(certificate_ids: list[int]) -> None:
    for certificate in Certificate.objects.filter(pk__in=certificate_ids).select_related("holder"):
        rights_recompute_queue_for_holder(holder=certificate.holder, cause=DeliveryRightEvent.Cause.CERTIFICATE_EXPIRED)
        certificate_changed.send(sender=Certificate, certificate=certificate, change="expired")


# --- Reminders ------------------------------------------------------------------------------


def reminder_window(*, expires_on: date, today: date) -> int | None:
    """The reminder due for a certificate expiring on `expires_on`: the nearest of 60, 30 and 7
    days it is within, or None when it is further away (or already expired). A sweep that missed
    a day still finds the window the certificate is in now, and never a wider one."""
    days_left = (expires_on - today).days
    if days_left <= 0:
        return None
    return next((days for days in REMINDER_DAYS if days_left <= days), None)


def certificate_reminders_send(*, today: date | None = None) -> int:
    """E-mail each holder whose valid certificate expires within 60, 30 or 7 days, once per window,
    in the holder's language, with the way to renew. A reminder is due for the nearest window the
    certificate is in (see `reminder_window`), so a missed sweep still sends it late, and a
    certificate already within 30 days never gets the 60-day one. Certificates already renewed
    and holders whose account is closed get none. Returns how many were sent.

    Each reminder is claimed by inserting its `CertificateReminder` row in the transaction that
    sends it: the unique row makes a repeated or concurrent sweep skip it, and a failed send rolls
    the claim back (logged) so the next sweep tries again."""
    today = today or timezone.localdate()
    now = timezone.now()
    sent = 0
    nearer = 0
    for days in REMINDER_DAYS:
        already = CertificateReminder.objects.filter(certificate=OuterRef("pk"), days_before=days)
        due = (
            Certificate.objects.filter(
                status=Certificate.Status.VALID,
                renewed_by__isnull=True,
                holder__is_active=True,
                expires_on__gt=today + timedelta(days=nearer),
                expires_on__lte=today + timedelta(days=days),
            )
            .exclude(Exists(already))
            .select_related("holder", "certification")
            .order_by("expires_on", "pk")
        )
        for certificate in due:
            if _reminder_send(certificate=certificate, days=days, today=today, now=now):
                sent += 1
        nearer = days
    return sent


def _reminder_send(*, certificate: Certificate, days: int, today: date, now: datetime) -> bool:
    try:
        with transaction.atomic():
            CertificateReminder.objects.create(certificate=certificate, days_before=days, sent_at=now)
            CertificateEvent.objects.create(
                certificate=certificate,
                kind=CertificateEvent.Kind.REMINDER_SENT,
                at=now,
                data={"days_before": days},
            )
            _reminder_email_send(certificate=certificate, today=today)
    except IntegrityError:
        return False  # another sweep claimed it first
    except Exception:
        logger.exception("Expiry reminder (%s days) for certificate %s failed", days, certificate.pk)
        return False
    return True


def certification_url(certification: CertificationPage) -> str:
    """The absolute address of a certification's page (where its exam is started), or of the
    certification list when the page has no address on any site."""
    parts = certification.get_url_parts()
    path = parts[2] if parts else reverse("certifications:list")
    return settings.SITE_URL + path


def _reminder_email_send(*, certificate: Certificate, today: date) -> None:
    holder = certificate.holder
    context = {
        "certificate": certificate,
        "holder": holder,
        "days_left": (certificate.expires_on - today).days,
        "renewal": certificate_renewal(certificate, today=today),
        "certification_url": certification_url(certificate.certification),
        "certificates_url": settings.SITE_URL + reverse("certifications:my_certificates"),
        "verification_url": certificate_verification_url(serial=certificate.serial),
    }
    templated_email(
        "certifications/email/certificate_reminder", context, to=holder.email, language=holder.preferred_language
    ).send()


# --- Revocation -----------------------------------------------------------------------------


def certificate_revoke(
    *,
    certificate: Certificate,
    reason: str,
    note: str,
    revoked_by: User,
    now: datetime | None = None,
) -> Certificate:
    """Revoke a certificate (valid or expired) for one of `Certificate.RevocationReason` with a
    note saying what happened. Only a programme manager of the certificate's vendor (or a
    superuser) may: anyone else gets `PermissionDenied`. A missing note, an unknown reason or a
    certificate already revoked raise `ValidationError`, and nothing changes.

    Locks the certificate row; writes the status, date, reason and who revoked it, and a "revoked"
    audit event carrying the note. Verification reads the row, so it shows "revoked" at once.
    After commit: the holder's e-mail (a task that retries), the delivery-rights recomputation of
    the holder's organisation and `certificate_changed` ("revoked")."""
    if not user_is_vendor_manager(user=revoked_by, vendor=certificate.vendor):
        raise PermissionDenied(_("Only the vendor's programme managers may revoke its certificates."))
    if reason not in Certificate.RevocationReason.values:
        raise ValidationError(_("Choose a reason for the revocation."), code="reason")
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say what happened in the note: it is kept in the audit record."), code="note")
    now = now or timezone.now()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update(of=("self",)).select_related("holder").get(pk=certificate.pk)
        if locked.status == Certificate.Status.REVOKED:
            raise ValidationError(_("This certificate is already revoked."), code="revoked")
        previous = locked.status
        locked.status = Certificate.Status.REVOKED
        locked.revoked_at = now
        locked.revocation_reason = reason
        locked.revoked_by = revoked_by
        locked.save(update_fields=["status", "revoked_at", "revocation_reason", "revoked_by"])
        CertificateEvent.objects.create(
            certificate=locked,
            kind=CertificateEvent.Kind.REVOKED,
            at=now,
            actor=revoked_by,
            note=note,
            data={"reason": reason, "previous_status": previous},
        )
        transaction.on_commit(lambda: _revocation_announce(locked))
    return locked


def _revocation_announce(certificate: Certificate) -> None:
    from certifications.certificates.tasks import certificate_revocation_email

    certificate_revocation_email.delay(certificate.pk)
    rights_recompute_queue_for_holder(holder=certificate.holder, cause=DeliveryRightEvent.Cause.CERTIFICATE_REVOKED)
    certificate_changed.send(sender=Certificate, certificate=certificate, change="revoked")


def certificate_revocation_email_send(*, certificate_id: int) -> None:
    """Tell the holder, in their language, that their certificate was revoked and under which
    reason category (the manager's note stays in the audit record)."""
    certificate = Certificate.objects.select_related("holder").get(pk=certificate_id)
    holder = certificate.holder
    context = {
        "certificate": certificate,
        "holder": holder,
        # Called by the template, so the reason is named in the holder's language.
        "reason": certificate.get_revocation_reason_display,
        "verification_url": certificate_verification_url(serial=certificate.serial),
    }
    templated_email(
        "certifications/email/certificate_revoked", context, to=holder.email, language=holder.preferred_language
    ).send()
