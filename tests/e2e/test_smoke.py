import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_home_page_renders_with_navigation(page: Page, live_server, home_page):
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Partner Academy"))
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Courses")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_home_page_survives_a_previous_flush(page: Page, live_server, home_page):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
