"""My certificates in Chromium: the Copy button puts the public verification link on the
clipboard, and the LinkedIn link opens LinkedIn's add-to-profile form for this certificate."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import certifications as f
from tests.factories.community import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_copy_share_link_and_linkedin_link(page: Page, live_server, home_page, settings):
    settings.SITE_URL = live_server.url
    holder = UserFactory()
    certificate = f.certificate(holder=holder, certification_page=f.certification(title="Certified Mesh Engineer"))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", holder.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()

    page.goto(live_server.url + "/certificates/")
    expect(page.get_by_role("heading", name="Certified Mesh Engineer")).to_be_visible()
    expect(page.get_by_text("Your PDF is being prepared.")).to_be_visible()
    copy = page.locator("[data-copy]")
    expect(copy).to_have_text("Copy")
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/verify/{certificate.serial}/"
    linkedin = page.get_by_role("link", name="Add to LinkedIn profile").get_attribute("href")
    assert linkedin.startswith("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=Certified+Mesh")
    assert f"certId={certificate.serial}" in linkedin
