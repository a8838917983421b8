"""Certificates on PostgreSQL with a real Celery worker: two processes issuing for the same passed
attempt at once make exactly one certificate, and the worker renders, stores and mails its PDF."""

import hashlib
import io
import time

import pypdf
import pytest
from django.db.models.query import QuerySet
from django.utils import timezone

from certifications.certificates.issuing import certificate_issue
from certifications.exams import services
from certifications.models import Certificate, CertificateEvent
from tests.factories import certifications as f
from tests.factories.community import UserFactory
from tests.integration.racing import race
from tests.integration.test_tasks import _wait_for_mail

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

THREADS = 4
PDF_TIMEOUT = 90


def _passed_attempt(user=None):
    """A graded, passed attempt whose certificate has not been issued yet."""
    exam = f.exam(questions=3)
    attempt = services.attempt_start(exam=exam, user=user or UserFactory())
    attempt.status, attempt.passed, attempt.score_percent, attempt.submitted_at = "graded", True, 100, timezone.now()
    attempt.save()
    return attempt


def test_concurrent_issues_for_one_attempt_make_one_certificate(home_page, monkeypatch):
    monkeypatch.setattr("certifications.certificates.issuing._pdf_generate_queue", lambda *, certificate_id: None)
    attempt = _passed_attempt()
    outcomes = race([lambda: certificate_issue(attempt=attempt)] * THREADS)
    assert all(isinstance(o, Certificate) for o in outcomes), outcomes
    assert len({o.pk for o in outcomes}) == 1 and len({o.serial for o in outcomes}) == 1
    assert Certificate.objects.filter(attempt=attempt).count() == 1
    assert CertificateEvent.objects.filter(kind="issued").count() == 1


def test_the_insert_constraint_alone_keeps_one_certificate_when_the_lock_is_bypassed(home_page, monkeypatch):
    """Without the attempt-row lock (as if some other path forgot it), the unique attempt column
    makes the losing insert return the winner's certificate instead of failing."""
    monkeypatch.setattr("certifications.certificates.issuing._pdf_generate_queue", lambda *, certificate_id: None)
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, **kwargs: self)
    attempt = _passed_attempt()
    outcomes = race([lambda: certificate_issue(attempt=attempt)] * THREADS)
    assert all(isinstance(o, Certificate) for o in outcomes), outcomes
    assert len({o.pk for o in outcomes}) == 1
    assert Certificate.objects.filter(attempt=attempt).count() == 1


def test_concurrent_submits_of_a_passing_attempt_issue_one_certificate(home_page, monkeypatch):
    monkeypatch.setattr("certifications.certificates.issuing._pdf_generate_queue", lambda *, certificate_id: None)
    exam = f.exam(questions=3)
    attempt = services.attempt_start(exam=exam, user=UserFactory())
    f.answer_all(attempt, correct=True)
    outcomes = race([lambda: services.attempt_submit(attempt=attempt)] * THREADS)
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert Certificate.objects.filter(attempt=attempt).count() == 1


def test_the_worker_renders_stores_and_mails_the_pdf(home_page, celery_worker, worker_outbox):
    holder = UserFactory(full_name="Wang Xiaoming", certificate_name="王小明", email="wang@example.com")
    attempt = _passed_attempt(user=holder)
    certificate = certificate_issue(attempt=attempt)  # commits, then sends the task through Redis
    deadline = time.monotonic() + PDF_TIMEOUT
    while not Certificate.objects.filter(pk=certificate.pk).exclude(pdf_sha256="").exists():
        assert time.monotonic() < deadline, "the worker never stored the PDF"
        time.sleep(0.2)
    certificate.refresh_from_db()
    stored = celery_worker.mail_dir.parent / "media" / certificate.pdf.name
    data = stored.read_bytes()
    assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "王小明" in text and certificate.serial in text
    celery_worker.wait_for_log("certificate_pdf_generate[", timeout=PDF_TIMEOUT)
    [message] = _wait_for_mail(worker_outbox, count=1)
    assert message["To"] == "wang@example.com"
    attachments = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert len(attachments) == 1 and attachments[0].get_payload(decode=True) == data
    deadline = time.monotonic() + PDF_TIMEOUT
    while not Certificate.objects.filter(pk=certificate.pk, pdf_emailed_at__isnull=False).exists():
        assert time.monotonic() < deadline, "the worker never recorded the e-mail"
        time.sleep(0.2)
