"""Desktop layout: the site header on one row, signed out and signed in, in each language; the
home page's cards in line."""

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.signing_in import sign_in
from tests.factories.community import ProductFactory, UserFactory, VendorFactory

pytestmark = pytest.mark.e2e

ROW = """() => {
    const box = (selector) => document.querySelector(selector).getBoundingClientRect();
    return {header: box(".header-inner").height, primary: box(".nav-primary"), account: box(".nav-account")};
}"""


def _header(browser: Browser, base: str, *, width: int, locale: str, email: str = "") -> dict:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
    try:
        page = context.new_page()
        if email:
            sign_in(page, base, email)
        page.goto(base + "/forums/")
        return page.evaluate(ROW)
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 1440])
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_header_is_one_row_at_desktop_widths(browser: Browser, live_server, home_page, width, locale):
    user = UserFactory(full_name="Maximiliane Featherstonehaugh-Wolfeschlegel", is_superuser=True)
    for email in ["", user.email]:
        header = _header(browser, live_server.url, width=width, locale=locale, email=email)
        primary, account = header["primary"], header["account"]
        # Both halves of the navigation on one line, and the header no taller than that line.
        middle = abs(primary["top"] + primary["height"] / 2 - account["top"] - account["height"] / 2)
        assert middle < 4, (email, header)
        assert header["header"] < 1.6 * max(primary["height"], account["height"]), (email, header)


@pytest.mark.django_db(transaction=True)
def test_home_page_vendor_cards_line_up(page: Page, live_server, home_page):
    for name in ["Nimbus Cloud", "Arclight Networks", "Harbour Systems"]:
        ProductFactory(vendor=VendorFactory(name=name))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    tops = page.eval_on_selector_all(".vendor-card", "cards => cards.map(c => c.getBoundingClientRect().top)")
    assert len(tops) == 3 and len(set(tops)) == 1, tops
