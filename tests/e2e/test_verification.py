"""Verifying a certificate in Chromium as a stranger would: type the serial sloppily, mistype it,
upload the PDF, and follow the link to the signed credential."""

import pytest
from playwright.sync_api import Page, expect

from certifications.certificates.pdf import CertificateContent, certificate_pdf_render
from tests.factories import certifications as f
from tests.factories.community import ProductFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_visitor_checks_a_certificate_by_serial_and_by_pdf(page: Page, live_server, home_page, tmp_path):
    certification = f.certification(title="Certified Edge Engineer")
    certification.products.set([ProductFactory(vendor=certification.vendor, name="Edge Firewall")])
    holder = UserFactory(full_name="Zhang Wei", certificate_name="张伟")
    certificate = f.certificate(holder=holder, certification_page=certification, product_names=["Edge Firewall"])
    pdf = certificate_pdf_render(
        certificate=CertificateContent(
            serial=certificate.serial,
            holder_name=certificate.holder_name,
            certification_name=certificate.certification_title,
            vendor_name=certificate.vendor_name,
            products=("Edge Firewall",),
            issued_on=certificate.issued_on,
            expires_on=certificate.expires_on,
        )
    )
    certificate.pdf_sha256 = pdf.sha256
    certificate.save(update_fields=["pdf_sha256"])
    (tmp_path / "certificate.pdf").write_bytes(pdf.content)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Verify", exact=True).click()
    expect(page.get_by_role("heading", name="Verify a certificate")).to_be_visible()

    wrong = certificate.serial[:-1] + ("X" if certificate.serial[-1] != "X" else "Y")
    page.get_by_label("Certificate serial").fill(wrong.lower())
    page.get_by_role("button", name="Verify serial").click()
    expect(page.get_by_text("This serial is mistyped")).to_be_visible()

    page.get_by_label("Certificate serial").fill(certificate.serial.lower().replace("-", " "))
    page.get_by_role("button", name="Verify serial").click()
    expect(page.get_by_role("heading", name="Valid certificate")).to_be_visible()
    assert page.url == f"{live_server.url}/verify/{certificate.serial}/"
    expect(page.get_by_text("张伟")).to_be_visible()
    expect(page.get_by_text(holder.email)).to_have_count(0)

    page.get_by_role("link", name="Credential (JSON)").click()
    expect(page.get_by_text('"OpenBadgeCredential"')).to_be_visible()

    page.goto(live_server.url + "/verify/")
    page.get_by_label("Certificate PDF").set_input_files(tmp_path / "certificate.pdf")
    page.get_by_role("button", name="Check PDF").click()
    expect(page.get_by_text("Genuine PDF")).to_be_visible()
    page.get_by_role("link", name="See the certificate's record").click()
    expect(page.get_by_role("heading", name="Valid certificate")).to_be_visible()
