"""A newcomer's first visit in a real browser: sign up, verify the address by the link in the
e-mail, sign in, and see their name in the header."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from community.models import User

pytestmark = pytest.mark.e2e

NAME = "Lina Marković"
EMAIL = "lina.markovic@example.com"
PASSWORD = "Quartz-Harbour-1947"
# Required fields' labels end in a marker, so match the start (and not "Password (again)").
PASSWORD_LABEL = re.compile(r"^Password\W*$")


def _confirmation_path() -> str:
    [message] = [message for message in mail.outbox if EMAIL in message.to]
    match = re.search(r"https?://\S+/accounts/confirm-email/[^\s\"'<>]+", message.body)
    assert match, message.body
    return urlsplit(match[0]).path


@pytest.mark.django_db(transaction=True)
def test_new_user_signs_up_verifies_by_the_e_mailed_link_and_signs_in(
    page: Page, browser: Browser, live_server, home_page
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Create account").click()
    page.get_by_label("Full name").fill(NAME)
    page.get_by_label(re.compile("^E-?mail", re.IGNORECASE)).fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label(re.compile(r"^(Password \(again\)|Confirm password)", re.IGNORECASE)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign up|Create account", re.IGNORECASE)).click()

    expect(page).to_have_url(re.compile("/accounts/confirm-email/$"))
    assert not User.objects.get(email=EMAIL).emailaddress_set.get().verified

    # The e-mail is opened elsewhere (another device): a browser context without this session.
    elsewhere = browser.new_context()
    try:
        mailbox = elsewhere.new_page()
        mailbox.goto(live_server.url + _confirmation_path())
        expect(mailbox.get_by_text(EMAIL).first).to_be_visible()
        mailbox.get_by_role("button", name=re.compile("Confirm", re.IGNORECASE)).click()
        expect(mailbox).to_have_url(re.compile("/accounts/login/"))
    finally:
        elsewhere.close()
    assert User.objects.get(email=EMAIL).emailaddress_set.get().verified

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label(re.compile("^E-?mail", re.IGNORECASE)).fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.IGNORECASE)).click()

    header = page.locator("header.site-header")
    expect(header.locator(".account-name")).to_have_text(NAME)
    expect(header.get_by_role("link", name="Sign in")).to_have_count(0)
