"""The daily certificate sweeps on PostgreSQL, run by several processes at once (two beat
schedulers by mistake, or a manual run during the nightly one): every due certificate is expired
and announced exactly once, every reminder is sent exactly once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from certifications.certificates import lifecycle
from certifications.certificates.signals import certificate_changed
from certifications.models import Certificate, CertificateEvent, CertificateReminder
from tests.factories import certifications as f
from tests.factories.community import UserFactory
from tests.integration.racing import race

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

THREADS = 4


def test_concurrent_expiry_sweeps_expire_and_announce_each_certificate_once(home_page, monkeypatch):
    monkeypatch.setattr(lifecycle, "EXPIRE_BATCH", 7)
    today = timezone.localdate()
    page = f.certification()
    due = [
        f.certificate(holder=UserFactory(), certification_page=page, expires_on=today - timedelta(days=i % 5))
        for i in range(60)
    ]
    announced = []

    def receiver(sender, certificate, change, **kwargs):
        announced.append(certificate.pk)

    certificate_changed.connect(receiver, dispatch_uid="test-sweep-race")
    try:
        outcomes = race([lambda: lifecycle.certificates_expire(today=today)] * THREADS)
    finally:
        certificate_changed.disconnect(dispatch_uid="test-sweep-race")

    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert sum(outcomes) == len(due)
    assert Certificate.objects.filter(status=Certificate.Status.EXPIRED).count() == len(due)
    assert CertificateEvent.objects.filter(kind=CertificateEvent.Kind.EXPIRED).count() == len(due)
    assert sorted(announced) == sorted(c.pk for c in due)  # one holder each: one announcement each


def test_concurrent_reminder_sweeps_send_each_reminder_once(home_page):
    today = timezone.localdate()
    page = f.certification()
    for days in (60, 45, 30, 12, 7, 2):
        f.certificate(holder=UserFactory(), certification_page=page, expires_on=today + timedelta(days=days))

    outcomes = race([lambda: lifecycle.certificate_reminders_send(today=today)] * THREADS)

    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert sum(outcomes) == 6
    assert CertificateReminder.objects.count() == 6
    assert len(mail.outbox) == 6
