"""A partner admin invites an engineer from the team page using only the keyboard; the engineer
follows the e-mailed link, creates an account without a second verification and joins."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from tests.factories.community import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_admin_invites_and_a_new_engineer_joins_through_the_link(page: Page, browser: Browser, live_server, home_page):
    organisation = OrganisationFactory(name="Harbour Systems")
    admin = MembershipFactory(
        organisation=organisation, role="admin", user=UserFactory(full_name="Ana Admin", email="ana@harbour.example")
    ).user

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.goto(f"{live_server.url}/organisation/{organisation.slug}/members/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour Systems team")

    page.get_by_label("E-mail address").fill("new.engineer@harbour.example")
    page.keyboard.press("Tab")  # to the role select
    page.keyboard.press("Tab")  # to the send button
    page.keyboard.press("Enter")
    expect(page.get_by_text("Invitation sent to new.engineer@harbour.example.")).to_be_visible()
    expect(page.get_by_role("cell", name="new.engineer@harbour.example", exact=True)).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+?(/invitations/\S+/)", mail.outbox[0].body).group(1)

    invitee = browser.new_context().new_page()
    invitee.goto(live_server.url + link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Join Harbour Systems")
    invitee.get_by_role("link", name="Create account").last.click()
    invitee.get_by_label("Full name").fill("Nia Engineer")
    expect(invitee.get_by_label("Email")).to_have_value("new.engineer@harbour.example")  # filled in from the link
    invitee.locator("#id_password1").fill(PASSWORD)
    invitee.locator("#id_password2").fill(PASSWORD)
    invitee.get_by_role("button", name="Create account").click()

    expect(invitee.get_by_role("button", name="Accept invitation")).to_be_visible()
    invitee.get_by_role("button", name="Accept invitation").click()
    expect(invitee.get_by_text("Welcome to Harbour Systems.")).to_be_visible()
    assert len(mail.outbox) == 1  # no verification e-mail: the invitation proved the address

    page.reload()
    expect(page.get_by_text("Nia Engineer", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Remove Nia Engineer")).to_be_visible()
    expect(page.get_by_text("Invited by Ana Admin")).to_be_visible()
