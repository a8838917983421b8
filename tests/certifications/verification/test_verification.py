"""Public verification pages: `/verify/` takes a serial or a PDF, `/verify/<serial>/` shows the
certificate's status and printed facts to anyone, and nothing private."""

import hashlib
import io
import re
from datetime import timedelta

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.utils import timezone

from certifications.certificates.pdf import CertificateContent, certificate_pdf_render
from certifications.certificates.serials import serial_generate
from certifications.models import Certificate, CertificateEvent
from certifications.verification.lookup import PDF_MAX_BYTES, PdfVerdict, pdf_check
from tests.factories import certifications as factories
from tests.factories.community import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder():
    return UserFactory(full_name="Anna Schmidt", email="anna.private@example.com")


def make(certification_page, holder, **fields) -> Certificate:
    fields.setdefault("product_names", ["Northwind SD-WAN", "Northwind Edge Firewall"])
    return factories.certificate(holder=holder, certification_page=certification_page, **fields)


def mistype(serial: str) -> str:
    """The same serial with its last symbol changed: the check character no longer matches."""
    return serial[:-1] + ("X" if serial[-1] != "X" else "Y")


# --- /verify/ ----------------------------------------------------------------------------------


def test_verify_page_is_public_and_asks_for_a_serial_or_a_pdf(client):
    response = client.get("/verify/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="serial"' in html
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html
    assert "csrfmiddlewaretoken" in html


def test_verification_pages_ask_search_engines_not_to_index_them(client, certification_page, holder):
    certificate = make(certification_page, holder)

    for path in ("/verify/", f"/verify/{certificate.serial}/", f"/verify/{serial_generate()}/"):
        response = client.get(path)
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode(), path
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_serial_typed_any_which_way_goes_to_its_canonical_page(client, certification_page, holder):
    certificate = make(certification_page, holder)
    typed = "  " + certificate.serial.lower().replace("-", " ") + " "

    response = client.get("/verify/", {"serial": typed})

    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.serial}/"


def test_a_mistyped_serial_says_mistyped_not_not_found(client, certification_page, holder):
    certificate = make(certification_page, holder)

    response = client.get("/verify/", {"serial": mistype(certificate.serial)})

    assert response.status_code == 400
    html = response.content.decode()
    assert "This serial is mistyped" in html
    assert "No certificate with this serial" not in html
    assert mistype(certificate.serial) in html  # kept in the field to correct


def test_a_malformed_serial_says_it_is_not_a_serial(client):
    response = client.get("/verify/", {"serial": "hello world"})

    assert response.status_code == 400
    assert "This is not a certificate serial" in response.content.decode()


def test_an_unknown_well_formed_serial_is_not_found(client):
    serial = serial_generate()

    followed = client.get("/verify/", {"serial": serial}, follow=True)

    assert followed.redirect_chain == [(f"/verify/{serial}/", 302)]
    assert followed.status_code == 404
    html = followed.content.decode()
    assert "No certificate with this serial" in html and serial in html


def test_a_mistyped_serial_in_the_address_explains_too(client, certification_page, holder):
    certificate = make(certification_page, holder)

    response = client.get(f"/verify/{mistype(certificate.serial)}/")

    assert response.status_code == 404
    assert "This serial is mistyped" in response.content.decode()


def test_other_spellings_of_a_serial_redirect_to_the_canonical_address(client, certification_page, holder):
    certificate = make(certification_page, holder)

    response = client.get(f"/verify/{certificate.serial.lower()}/")

    assert response.status_code == 301
    assert response["Location"] == f"/verify/{certificate.serial}/"


# --- /verify/<serial>/ --------------------------------------------------------------------------


def test_valid_certificate_shows_its_printed_facts_to_anyone(client, certification_page, holder):
    certificate = make(certification_page, holder)

    response = Client().get(f"/verify/{certificate.serial}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid certificate" in html
    for text in (
        "Anna Schmidt",
        "Certified SD-WAN Engineer",
        "Northwind Networks",
        "Northwind SD-WAN",
        "Northwind Edge Firewall",
        certificate.serial,
    ):
        assert text in html
    assert f"/api/v1/certificates/{certificate.serial}/credential" in html


def test_printed_name_is_the_frozen_one_not_the_current_account_name(client, certification_page, holder):
    certificate = make(certification_page, holder)
    holder.full_name = "Anna Müller"
    holder.save()

    html = client.get(f"/verify/{certificate.serial}/").content.decode()

    assert "Anna Schmidt" in html and "Anna Müller" not in html


def test_expired_certificate_says_expired(client, certification_page, holder):
    swept = make(certification_page, holder, status="expired")
    unswept = make(
        certification_page,
        holder,
        issued_on=timezone.localdate() - timedelta(days=730),
        expires_on=timezone.localdate(),
    )

    for certificate in (swept, unswept):
        html = client.get(f"/verify/{certificate.serial}/").content.decode()
        assert "Expired certificate" in html
        assert "Valid certificate" not in html


def test_revoked_certificate_shows_date_and_reason_but_not_the_note(client, certification_page, holder):
    revoked_at = timezone.now().replace(year=2026, month=3, day=14)
    certificate = make(
        certification_page, holder, status="revoked", revoked_at=revoked_at, revocation_reason="exam_misconduct"
    )
    CertificateEvent.objects.create(
        certificate=certificate, kind="revoked", at=revoked_at, note="Candidate shared the answer key"
    )

    html = client.get(f"/verify/{certificate.serial}/").content.decode()

    assert "Revoked certificate" in html
    assert "14 Mar 2026" in html
    assert "Exam misconduct" in html
    assert "answer key" not in html


@pytest.mark.parametrize("status", ["valid", "expired", "revoked"])
def test_pages_leak_no_email_or_internal_ids(client, certification_page, holder, status):
    attempt_marker = "0d6f7c1e-internal"
    certificate = make(
        certification_page, holder, status=status, revocation_reason="other" if status == "revoked" else ""
    )
    CertificateEvent.objects.create(certificate=certificate, kind="issued", at=timezone.now(), note=attempt_marker)

    html = client.get(f"/verify/{certificate.serial}/").content.decode()

    assert holder.email not in html and "anna.private" not in html
    links = re.findall(r'(?:href|action|src)="([^"]*)"', html)
    internal = {str(certificate.pk), str(holder.pk)}
    assert not [link for link in links if internal & set(re.split(r"[/?=&#.]", link))], links
    assert attempt_marker not in html


def test_signed_in_visitors_see_the_same_public_record(client, certification_page, holder):
    certificate = make(certification_page, holder)
    client.force_login(UserFactory())

    html = client.get(f"/verify/{certificate.serial}/").content.decode()

    assert "Valid certificate" in html and holder.email not in html


def test_query_count_is_the_same_for_5_and_50_certificates(client, certification_page, holder, count_queries):
    def measure(n):
        for i in range(n - Certificate.objects.count()):
            make(certification_page, holder, status=["valid", "expired", "revoked"][i % 3], revocation_reason="")
        certificate = Certificate.objects.order_by("?").first()
        client.get(f"/verify/{certificate.serial}/")
        with count_queries() as queries:
            assert client.get(f"/verify/{certificate.serial}/").status_code == 200
        return len(queries)

    few = measure(5)
    many = measure(50)

    assert few == many
    assert many <= 4


# --- PDF upload ---------------------------------------------------------------------------------


def _pdf_of(certificate: Certificate) -> bytes:
    content = CertificateContent(
        serial=certificate.serial,
        holder_name=certificate.holder_name,
        certification_name=certificate.certification_title,
        vendor_name=certificate.vendor_name,
        products=tuple(certificate.product_names),
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
    )
    return certificate_pdf_render(certificate=content).content


@pytest.fixture
def issued(certification_page, holder):
    """A certificate with the PDF it was issued as, its hash stored."""
    certificate = make(certification_page, holder)
    data = _pdf_of(certificate)
    certificate.pdf_sha256 = hashlib.sha256(data).hexdigest()
    certificate.save(update_fields=["pdf_sha256"])
    return certificate, data


def upload(client, data: bytes, name="certificate.pdf", content_type="application/pdf"):
    return client.post("/verify/", {"pdf": SimpleUploadedFile(name, data, content_type=content_type)})


def _edited(data: bytes) -> bytes:
    """The PDF after an editor saved a change: an incremental update appended to the file."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.add_metadata({"/Title": "Edited"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_issued_pdf_is_genuine(client, issued):
    certificate, data = issued

    response = upload(client, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Genuine PDF" in html
    assert f"/verify/{certificate.serial}/" in html
    assert "The certificate is valid." in html


def test_a_pdf_issued_before_a_regeneration_is_still_genuine(client, issued):
    certificate, data = issued
    CertificateEvent.objects.create(
        certificate=certificate, kind="pdf_rendered", at=timezone.now(), data={"sha256": certificate.pdf_sha256}
    )
    Certificate.objects.filter(pk=certificate.pk).update(pdf_sha256="0" * 64)

    html = upload(client, data).content.decode()

    assert "Genuine PDF" in html and "has since been regenerated" in html
    assert "Altered PDF" not in html


def test_pdf_checks_take_a_fixed_number_of_queries(issued, count_queries):
    _certificate, data = issued

    for upload_data, expected in ((data, PdfVerdict.GENUINE), (_edited(data), PdfVerdict.ALTERED)):
        with count_queries() as queries:
            result = pdf_check(upload=SimpleUploadedFile("c.pdf", upload_data))
        assert result.verdict is expected
        queries.assert_at_most(1 if expected is PdfVerdict.GENUINE else 3)


def test_a_genuine_pdf_of_a_revoked_certificate_says_it_no_longer_counts(client, issued):
    certificate, data = issued
    Certificate.objects.filter(pk=certificate.pk).update(
        status="revoked", revoked_at=timezone.now(), revocation_reason="other"
    )

    html = upload(client, data).content.decode()

    assert "Genuine PDF" in html and "has been revoked" in html


def test_a_changed_copy_of_our_pdf_is_altered(client, issued):
    certificate, data = issued

    response = upload(client, _edited(data))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Altered PDF" in html
    assert f"/verify/{certificate.serial}/" in html
    assert "Genuine PDF" not in html


def test_a_pdf_naming_none_of_our_serials_is_unknown(client, issued, certification_page, holder):
    stranger = Certificate(
        serial=serial_generate(),
        holder_name="Someone Else",
        certification_title="Made-up Certification",
        vendor_name="Nobody",
        product_names=[],
        issued_on=timezone.localdate(),
        expires_on=timezone.localdate() + timedelta(days=365),
    )

    html = upload(client, _pdf_of(stranger)).content.decode()

    assert "Not a certificate we issued" in html
    assert "Genuine PDF" not in html and "Altered PDF" not in html


def test_a_file_that_is_not_a_pdf_is_refused_clearly(client):
    response = upload(client, b"\x89PNG\r\n\x1a\nnot a pdf", name="photo.png", content_type="image/png")

    assert response.status_code == 400
    assert "This file is not a PDF" in response.content.decode()


def test_a_broken_pdf_is_unknown_not_an_error(client):
    response = upload(client, b"%PDF-1.7\n" + b"\x00garbage" * 100)

    assert response.status_code == 200
    assert "Not a certificate we issued" in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(client):
    response = upload(client, b"%PDF-1.7\n" + b"0" * PDF_MAX_BYTES)

    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()


def test_an_oversized_request_is_refused_before_its_body_is_read(monkeypatch):
    def parse(self):
        raise AssertionError("the upload was parsed")

    monkeypatch.setattr(MultiPartParser, "parse", parse)
    # No CSRF token either: nothing is read or changed, so the size is what is answered.
    client = Client(enforce_csrf_checks=True)
    response = upload(client, b"%PDF-1.7\n" + b"0" * (PDF_MAX_BYTES + 100 * 1024))

    assert response.status_code == 413
    assert "larger than 5 MB" in response.content.decode()


def test_an_upload_without_a_file_asks_for_one(client):
    response = client.post("/verify/", {})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_the_upload_form_needs_its_csrf_token(issued):
    _certificate, data = issued
    client = Client(enforce_csrf_checks=True)

    response = upload(client, data)

    assert response.status_code == 403


# --- Rate limit ---------------------------------------------------------------------------------


def test_lookups_are_limited_per_address_with_a_friendly_page(client, certification_page, holder, settings):
    settings.VERIFY_RATE_LIMIT = 2
    certificate = make(certification_page, holder)
    address = {"REMOTE_ADDR": "198.51.100.7"}

    first = [client.get(f"/verify/{certificate.serial}/", **address).status_code for _i in range(2)]
    refused = client.get(f"/verify/{certificate.serial}/", **address)

    assert first == [200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    html = refused.content.decode()
    assert "Please wait a minute" in html and "Anna Schmidt" not in html
    assert client.get(f"/verify/{certificate.serial}/", REMOTE_ADDR="198.51.100.8").status_code == 200
    # Explaining a typo costs no database look-up, so it is never refused.
    assert client.get("/verify/", {"serial": mistype(certificate.serial)}, **address).status_code == 400


def test_pdf_uploads_count_against_the_same_budget(client, issued, settings):
    settings.VERIFY_RATE_LIMIT = 1
    _certificate, data = issued
    address = {"REMOTE_ADDR": "198.51.100.9"}

    first = client.post("/verify/", {"pdf": SimpleUploadedFile("c.pdf", data)}, **address)
    second = client.post("/verify/", {"pdf": SimpleUploadedFile("c.pdf", data)}, **address)

    assert first.status_code == 200
    assert second.status_code == 429


def test_behind_trusted_proxies_the_forwarded_client_address_counts(client, certification_page, holder, settings):
    settings.VERIFY_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    certificate = make(certification_page, holder)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    one = client.get(f"/verify/{certificate.serial}/", HTTP_X_FORWARDED_FOR="192.0.2.1", **proxy)
    other = client.get(f"/verify/{certificate.serial}/", HTTP_X_FORWARDED_FOR="192.0.2.2", **proxy)
    again = client.get(f"/verify/{certificate.serial}/", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.1", **proxy)

    assert (one.status_code, other.status_code, again.status_code) == (200, 200, 429)
