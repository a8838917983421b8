import hashlib
import io

import pypdf
import pytest
from django.core import mail
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from certifications.certificates import issuing, tasks
from certifications.models import Certificate, CertificateEvent, CertificateTemplate
from community.celery import app as celery_app
from tests.certifications.certificates.test_pdf import page_text, qr_codes
from tests.factories import certifications as f
from tests.factories.community import UserFactory, VendorFactory

pytestmark = pytest.mark.django_db


def issued(**holder_fields) -> Certificate:
    holder = UserFactory(**{"full_name": "Ada Lovelace", **holder_fields})
    page = f.certification(vendor=VendorFactory(name="Northwind Networks", brand_colour="#0B5CAD"))
    return f.certificate(holder=holder, certification_page=page, product_names=["SD-WAN"])


def stored_bytes(certificate: Certificate) -> bytes:
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        return handle.read()


@pytest.fixture
def retries_run_eagerly():
    """Eager tasks re-run on retry only when errors do not propagate (as on a real worker,
    where the failed run is recorded and the retry queued)."""
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = previous


def png(colour="#0B5CAD") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 20), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["Ada Lovelace", "王小明", "Анна Каренина"])
def test_task_renders_stores_and_hashes_the_pdf(name):
    certificate = issued(certificate_name=name)
    sha256 = tasks.certificate_pdf_generate.delay(certificate.pk).get()
    data = stored_bytes(certificate)
    assert certificate.pdf.name.startswith("certificates/") and certificate.pdf.name.endswith(".pdf")
    # The serial alone does not name the file: where media are public, it cannot be fetched by serial.
    assert certificate.serial in certificate.pdf.name
    assert not certificate.pdf.name.endswith(f"/{certificate.serial}.pdf")
    assert sha256 == certificate.pdf_sha256 == hashlib.sha256(data).hexdigest()
    text = page_text(data)
    assert name in text and certificate.serial in text and "SD-WAN" in text
    assert qr_codes(data) == [f"http://testserver/verify/{certificate.serial}/"]
    event = certificate.events.get(kind="pdf_rendered")
    assert event.data == {"sha256": sha256, "previous_sha256": None}


def test_running_the_task_twice_renders_and_mails_once():
    certificate = issued()
    tasks.certificate_pdf_generate.delay(certificate.pk)
    first = stored_bytes(certificate)
    name = certificate.pdf.name
    tasks.certificate_pdf_generate.delay(certificate.pk)
    assert stored_bytes(certificate) == first and certificate.pdf.name == name
    assert certificate.events.filter(kind="pdf_rendered").count() == 1
    assert len(mail.outbox) == 1


def test_the_task_retries_a_failed_render(monkeypatch, retries_run_eagerly):
    certificate = issued()
    real_render = issuing.certificate_pdf_render
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("font cache busy")
        return real_render(**kwargs)

    monkeypatch.setattr(issuing, "certificate_pdf_render", flaky)
    tasks.certificate_pdf_generate.delay(certificate.pk)
    assert len(calls) == 2
    assert stored_bytes(certificate)[:5] == b"%PDF-"
    assert len(mail.outbox) == 1


def test_a_failing_render_gives_up_after_its_retries_and_stores_nothing(monkeypatch, retries_run_eagerly):
    certificate = issued()
    calls = []

    def broken(**kwargs):
        calls.append(1)
        raise OSError("disk full")

    monkeypatch.setattr(issuing, "certificate_pdf_render", broken)
    result = tasks.certificate_pdf_generate.delay(certificate.pk)
    assert result.failed() and isinstance(result.result, OSError)
    assert len(calls) == tasks.certificate_pdf_generate.max_retries + 1
    certificate.refresh_from_db()
    assert not certificate.pdf and not certificate.pdf_sha256 and not mail.outbox


def test_a_deleted_certificate_is_not_retried(monkeypatch):
    calls = []
    monkeypatch.setattr(issuing, "certificate_pdf_render", lambda **kwargs: calls.append(1))
    with pytest.raises(Certificate.DoesNotExist):
        tasks.certificate_pdf_generate.delay(987654)
    assert calls == []


def test_holder_gets_one_email_in_their_language_with_the_pdf_attached():
    certificate = issued(preferred_language="zh-hans", email="wang@example.com")
    tasks.certificate_pdf_generate.delay(certificate.pk)
    [message] = mail.outbox
    assert message.to == ["wang@example.com"]
    assert certificate.certification_title in message.subject
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"{certificate.serial}.pdf", "application/pdf")
    assert content == stored_bytes(certificate)
    assert f"http://testserver/verify/{certificate.serial}/" in message.body
    # Dates print in the holder's language (Django's own zh-hans formats).
    assert f"{certificate.expires_on.year}年" in message.body
    html = message.alternatives[0][0]
    assert certificate.serial in html and "<strong>" in html
    assert certificate.pdf_emailed_at is not None
    assert certificate.events.filter(kind="pdf_emailed").count() == 1


def test_holder_name_is_escaped_in_the_html_email():
    certificate = issued(certificate_name="<b>Bobby</b>")
    tasks.certificate_pdf_generate.delay(certificate.pk)
    html = mail.outbox[0].alternatives[0][0]
    assert "<b>Bobby</b>" not in html and "&lt;b&gt;Bobby&lt;/b&gt;" in html


def test_a_failed_send_is_retried_and_the_holder_still_gets_one_email(monkeypatch, retries_run_eagerly):
    certificate = issued()
    real_send = issuing._certificate_email_send
    calls = []

    def flaky(certificate):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("SMTP down")
        real_send(certificate)

    monkeypatch.setattr(issuing, "_certificate_email_send", flaky)
    tasks.certificate_pdf_generate.delay(certificate.pk)
    assert len(calls) == 2 and len(mail.outbox) == 1
    assert certificate.events.filter(kind="pdf_rendered").count() == 1


def test_a_worker_stopped_mid_send_leaves_the_email_for_the_redelivered_task(monkeypatch):
    certificate = issued()
    real_send = issuing._certificate_email_send

    def stopped(certificate):
        raise SystemExit("worker shutting down")  # not an Exception: no handler runs

    monkeypatch.setattr(issuing, "_certificate_email_send", stopped)
    with pytest.raises(SystemExit):
        tasks.certificate_pdf_generate.delay(certificate.pk)
    certificate.refresh_from_db()
    assert certificate.pdf_emailed_at is None and not mail.outbox
    monkeypatch.setattr(issuing, "_certificate_email_send", real_send)
    tasks.certificate_pdf_generate.delay(certificate.pk)  # the redelivered message
    assert len(mail.outbox) == 1
    assert certificate.events.filter(kind="pdf_emailed").count() == 1


def test_a_revoked_certificate_is_not_mailed():
    certificate = issued()
    Certificate.objects.filter(pk=certificate.pk).update(status="revoked", revoked_at=certificate.issued_at)
    tasks.certificate_pdf_generate.delay(certificate.pk)
    assert not mail.outbox


def test_the_vendors_template_and_signatory_are_used():
    certificate = issued()
    CertificateTemplate.objects.create(
        vendor=certificate.vendor,
        html="<html><body><h1>{{ vendor_name }} honours {{ holder_name }}</h1>"
        "<p>{{ serial }} {{ signatory_name }}, {{ signatory_title }}</p>{{ qr_svg }}</body></html>",
        signatory_name="Maria Jensen",
        signatory_title="Programme Director",
    )
    tasks.certificate_pdf_generate.delay(certificate.pk)
    text = " ".join(page_text(stored_bytes(certificate)).split())
    assert "Northwind Networks honours Ada Lovelace" in text
    assert "Maria Jensen, Programme Director" in text
    assert "This certifies that" not in text


def test_an_empty_template_means_the_default_layout_with_the_templates_signatory():
    certificate = issued()
    CertificateTemplate.objects.create(vendor=certificate.vendor, html="  ", signatory_name="Maria Jensen")
    tasks.certificate_pdf_generate.delay(certificate.pk)
    text = page_text(stored_bytes(certificate))
    assert "This certifies that" in text and "Maria Jensen" in text


def test_vendor_logo_and_brand_colour_come_from_the_vendor():
    certificate = issued()
    vendor = certificate.vendor
    vendor.logo = get_image_model().objects.create(title="Logo", file=ImageFile(io.BytesIO(png()), name="logo.png"))
    vendor.save()
    certificate.refresh_from_db()
    content = issuing.certificate_printed_content(certificate)
    assert content.vendor_logo == png() and content.brand_colour == "#0B5CAD"
    tasks.certificate_pdf_generate.delay(certificate.pk)
    assert len(pypdf.PdfReader(io.BytesIO(stored_bytes(certificate))).pages[0].images) == 1


def test_a_logo_whose_file_is_gone_prints_no_logo():
    certificate = issued()
    image = get_image_model().objects.create(title="Logo", file=ImageFile(io.BytesIO(png()), name="logo.png"))
    image.file.storage.delete(image.file.name)
    certificate.vendor.logo = image
    certificate.vendor.save()
    certificate.refresh_from_db()
    assert issuing.certificate_printed_content(certificate).vendor_logo is None


def test_the_pdf_prints_the_facts_frozen_at_issue_not_the_current_ones():
    certificate = issued()
    certificate.holder.full_name = "Renamed Person"
    certificate.holder.save()
    tasks.certificate_pdf_generate.delay(certificate.pk)
    text = page_text(stored_bytes(certificate))
    assert "Ada Lovelace" in text and "Renamed Person" not in text


def test_forced_regeneration_replaces_the_file_and_keeps_the_previous_hash(django_capture_on_commit_callbacks):
    certificate = issued()
    tasks.certificate_pdf_generate.delay(certificate.pk)
    certificate.refresh_from_db()
    old_name, old_sha = certificate.pdf.name, certificate.pdf_sha256
    CertificateTemplate.objects.create(vendor=certificate.vendor, html="<p>{{ holder_name }} {{ serial }}</p>")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.certificate_pdf_generate.delay(certificate.pk, force=True)
    certificate.refresh_from_db()
    assert certificate.pdf_sha256 != old_sha
    assert not certificate.pdf.storage.exists(old_name)
    latest = certificate.events.filter(kind="pdf_rendered").last()
    assert latest.data == {"sha256": certificate.pdf_sha256, "previous_sha256": old_sha}
    assert len(mail.outbox) == 1
    assert CertificateEvent.objects.filter(certificate=certificate, kind="pdf_emailed").count() == 1
