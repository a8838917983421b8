from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from certifications.certificates import issuing, tasks
from certifications.certificates.regeneration import (
    RegenerationRunning,
    certificate_pdf_batch_chunk,
    certificate_pdfs_regenerate,
)
from certifications.models import Certificate, CertificatePdfBatch, CertificateTemplate
from tests.certifications.certificates.test_pdf import page_text
from tests.factories import certifications as f
from tests.factories.community import UserFactory, VendorFactory

pytestmark = pytest.mark.django_db

NEW_LAYOUT = "<html><body><h1>New layout for {{ holder_name }}</h1><p>{{ serial }}</p>{{ qr_svg }}</body></html>"


@pytest.fixture
def vendor():
    return VendorFactory(slug="northwind")


@pytest.fixture
def certificates(vendor):
    """Three certificates of the vendor with their first PDFs (default layout), one revoked."""
    page = f.certification(vendor=vendor)
    made = [f.certificate(holder=UserFactory(), certification_page=page) for _ in range(3)]
    for certificate in made:
        tasks.certificate_pdf_generate.delay(certificate.pk)
    Certificate.objects.filter(pk=made[2].pk).update(status="revoked", revoked_at=timezone.now())
    mail.outbox.clear()
    return [Certificate.objects.get(pk=c.pk) for c in made]


def frozen(certificate):
    return (certificate.serial, certificate.issued_on, certificate.expires_on, certificate.holder_name)


def test_regeneration_rerenders_with_the_new_template_and_changes_only_pdf_and_hash(
    vendor, certificates, django_capture_on_commit_callbacks
):
    CertificateTemplate.objects.create(vendor=vendor, html=NEW_LAYOUT)
    other_vendor_certificate = f.certificate(holder=UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        batch = certificate_pdfs_regenerate(vendor=vendor, chunk_size=1)
    batch.refresh_from_db()
    assert (batch.total, batch.done, batch.failed) == (2, 2, 0) and batch.finished_at is not None
    for before in certificates[:2]:
        after = Certificate.objects.get(pk=before.pk)
        assert frozen(after) == frozen(before)
        assert after.pdf_sha256 != before.pdf_sha256
        with after.pdf.open("rb") as handle:
            assert "New layout for" in page_text(handle.read())
        event = after.events.filter(kind="pdf_rendered").last()
        assert event.data == {"sha256": after.pdf_sha256, "previous_sha256": before.pdf_sha256, "batch": batch.pk}
    revoked = Certificate.objects.get(pk=certificates[2].pk)
    assert revoked.pdf_sha256 == certificates[2].pdf_sha256
    assert not Certificate.objects.get(pk=other_vendor_certificate.pk).pdf
    assert not mail.outbox  # holders already have their certificate; no second e-mail


def test_a_failing_certificate_is_counted_and_the_others_still_render(
    vendor, certificates, monkeypatch, django_capture_on_commit_callbacks
):
    real = issuing.certificate_pdf_render

    def fails_for_the_first(*, certificate, **kwargs):
        if certificate.serial == certificates[0].serial:
            raise OSError("broken")
        return real(certificate=certificate, **kwargs)

    monkeypatch.setattr(issuing, "certificate_pdf_render", fails_for_the_first)
    CertificateTemplate.objects.create(vendor=vendor, html=NEW_LAYOUT)
    with django_capture_on_commit_callbacks(execute=True):
        batch = certificate_pdfs_regenerate(vendor=vendor)
    batch.refresh_from_db()
    assert (batch.done, batch.failed) == (1, 1) and batch.finished_at is not None
    untouched = Certificate.objects.get(pk=certificates[0].pk)
    assert untouched.pdf_sha256 == certificates[0].pdf_sha256 and untouched.pdf.name == certificates[0].pdf.name


def test_running_a_chunk_twice_counts_each_certificate_once(vendor, certificates):
    batch = certificate_pdfs_regenerate(vendor=vendor)  # tasks wait for a commit that never comes here
    ids = [certificates[0].pk, certificates[1].pk]
    assert certificate_pdf_batch_chunk(batch_id=batch.pk, certificate_ids=ids) == (2, 0)
    assert certificate_pdf_batch_chunk(batch_id=batch.pk, certificate_ids=ids) == (0, 0)
    batch.refresh_from_db()
    assert (batch.done, batch.failed) == (2, 0) and batch.finished_at is not None


def test_a_second_regeneration_waits_for_the_first_unless_it_went_stale(vendor, certificates):
    now = timezone.now()
    certificate_pdfs_regenerate(vendor=vendor, now=now)
    with pytest.raises(RegenerationRunning):
        certificate_pdfs_regenerate(vendor=vendor, now=now + timedelta(minutes=5))
    assert certificate_pdfs_regenerate(vendor=vendor, now=now + timedelta(hours=2)).total == 2


def test_a_vendor_without_certificates_gets_a_finished_empty_batch(vendor):
    batch = certificate_pdfs_regenerate(vendor=vendor)
    assert batch.total == 0 and batch.finished_at is not None


def test_management_command_regenerates_a_vendors_pdfs(vendor, certificates, django_capture_on_commit_callbacks):
    CertificateTemplate.objects.create(vendor=vendor, html=NEW_LAYOUT)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("regenerate_certificate_pdfs", "--vendor", "northwind", stdout=out)
    batch = CertificatePdfBatch.objects.get()
    assert (batch.total, batch.done) == (2, 2)
    assert f"Batch {batch.pk}: 2 certificates of {vendor.name}" in out.getvalue()
    assert Certificate.objects.get(pk=certificates[0].pk).pdf_sha256 != certificates[0].pdf_sha256


def test_management_command_names_an_unknown_vendor():
    with pytest.raises(CommandError, match="No vendor with the slug 'nope'"):
        call_command("regenerate_certificate_pdfs", "--vendor", "nope")
