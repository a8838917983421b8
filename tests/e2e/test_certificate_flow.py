"""The whole certificate loop in Chromium: pass an exam, download the certificate PDF, read the QR
code printed on it, open that address and see the certificate reported valid."""

import io

import pypdf
import pytest
from playwright.sync_api import Page, expect

from certifications.models import AttemptQuestion, Certificate, ExamAttempt
from tests.certifications.certificates.test_pdf import qr_codes
from tests.e2e.signing_in import sign_in
from tests.factories import certifications as f
from tests.factories.community import ProductFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_candidate_passes_downloads_the_certificate_and_its_qr_code_says_valid(
    page: Page, live_server, home_page, settings, tmp_path
):
    # The QR code and the e-mail carry SITE_URL: here, the live server.
    settings.SITE_URL = live_server.url
    page_model = f.certification(title="Certified Edge Engineer")
    page_model.products.set([ProductFactory(vendor=page_model.vendor, name="Edge Firewall")])
    page_model.save_revision().publish()
    exam = f.exam(certification_page=page_model, questions=2, time_limit_minutes=30)
    user = UserFactory(full_name="Zhang Wei", certificate_name="张伟")
    sign_in(page, live_server.url, user.email)

    page.goto(live_server.url + exam.certification.url)
    page.get_by_role("button", name="Start the exam").click()
    attempt = ExamAttempt.objects.get(user=user)
    for position in (1, 2):
        expect(page.get_by_role("heading", name=f"Question {position} of 2")).to_be_visible()
        question = AttemptQuestion.objects.get(attempt=attempt, position=position)
        right = next(i for i, option in enumerate(question.options) if option["correct"])
        page.locator("input[name=option]").nth(right).check()
        label = "Save and next" if position == 1 else "Save and review"
        page.get_by_role("button", name=label).click()
    page.get_by_role("button", name="Submit the exam").click()
    expect(page.get_by_text("Congratulations, you passed.")).to_be_visible()

    page.get_by_role("link", name="My certificates").first.click()
    certificate = Certificate.objects.get(holder=user)
    expect(page.get_by_role("heading", name="Certified Edge Engineer")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    target = tmp_path / "certificate.pdf"
    download_info.value.save_as(target)
    data = target.read_bytes()

    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "张伟" in text and certificate.serial in text and "Edge Firewall" in text
    [url] = qr_codes(data)
    assert url == f"{live_server.url}/verify/{certificate.serial}/"

    page.goto(url)
    expect(page.get_by_role("heading", name="Valid certificate")).to_be_visible()
    expect(page.get_by_text("张伟")).to_be_visible()
