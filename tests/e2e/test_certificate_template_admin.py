"""Vendor staff edit their certificate template in the Wagtail admin in Chromium: a mistake comes
back on the form, the template as typed previews as a PDF in a new tab without being saved, and
a regeneration re-renders the vendor's PDFs with its progress shown."""

import pytest
from playwright.sync_api import Page, expect

from certifications.models import Certificate, CertificateTemplate
from community import services as community_services
from tests.factories import certifications as f
from tests.factories.community import PASSWORD, UserFactory, VendorFactory

pytestmark = pytest.mark.e2e

BASE = "/admin/snippets/certifications/certificatetemplate"
GOOD = "<html><body><h1>{{ holder_name }}</h1><p>{{ serial }}</p>{{ qr_svg }}</body></html>"


@pytest.mark.django_db(transaction=True)
def test_staff_fix_preview_save_and_regenerate_their_template(page: Page, live_server, home_page):
    vendor = VendorFactory(name="Northwind Networks")
    person = UserFactory(is_staff=True)
    community_services.vendor_staff_add(vendor=vendor, user=person, manager=True)
    template = CertificateTemplate.objects.create(vendor=vendor, signatory_name="Maria Jensen")
    certificate = f.certificate(holder=UserFactory(), certification_page=f.certification(vendor=vendor))

    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}{BASE}/edit/{template.pk}/")

    # A syntax error is a sentence on the form, and the typed text stays.
    broken = "<p>{{ holder_name }} {{ serial }} {{ qr_svg }}{% if products %}</p>"
    page.fill("textarea[name=html]", broken)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Unclosed tag on line 1: 'if'")).to_be_visible()
    expect(page.locator("textarea[name=html]")).to_have_value(broken)

    # The template as typed previews as a PDF in a new tab; nothing is saved.
    page.fill("textarea[name=html]", GOOD)
    previewed = page.context.expect_event("response", predicate=lambda r: "/preview/" in r.url)
    with page.expect_popup() as popup_info, previewed as response_info:
        page.locator("[data-template-preview]").click()
    response = response_info.value
    popup_info.value.close()
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    template.refresh_from_db()
    assert template.html == ""

    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    template.refresh_from_db()
    assert template.html == GOOD and template.updated_by == person

    # Regenerate the vendor's PDFs (tasks run in-process here) and see the batch finished.
    page.goto(f"{live_server.url}{BASE}/edit/{template.pk}/")
    page.get_by_role("link", name="Regenerate PDFs").click()
    expect(page.get_by_text("Re-render the PDF of 1 certificate")).to_be_visible()
    page.get_by_role("button", name="Regenerate PDFs").click()
    expect(page.get_by_text("Regenerating 1 PDF of Northwind Networks.")).to_be_visible()
    expect(page.locator("[data-batches]")).to_contain_text("1 of 1")
    expect(page.locator("[data-batches]")).to_contain_text("Finished")
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert certificate.pdf_sha256 and certificate.events.filter(kind="pdf_rendered").count() == 1
