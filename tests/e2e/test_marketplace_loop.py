"""Browser test: the marketplace loop in Chromium. A customer asks for help, confirms the e-mail
and follows the request; the partner admin accepts the lead and marks the work delivered; the
customer answers the survey, and the partner's score appears once it has five answers."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from partners.models import Engagement, SatisfactionResponse
from tests.certifications.rights.test_rights import make_rule
from tests.e2e.signing_in import sign_in
from tests.factories.community import ProductFactory, VendorFactory
from tests.partners.marketplace import authorised_partner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _link(pattern: str, base: str) -> str:
    """The latest e-mailed link matching `pattern`, on the live server."""
    for message in reversed(mail.outbox):
        if found := re.search(r"https?://[^/\s]+(" + pattern + ")", message.body):
            return base + found.group(1)
    raise AssertionError(f"no e-mail with {pattern}")


@pytest.fixture
def partner():
    product = ProductFactory(
        vendor=VendorFactory(name="Arcline Networks"), name="Arcline SD-WAN", slug="arcline-sd-wan"
    )
    make_rule(product=product)
    partner = authorised_partner(product, name="Berlin Net", slug="berlin-net")
    # Four earlier customers rated the partner: one answer short of a public score.
    for n in range(4):
        engagement = Engagement.objects.create(
            organisation=partner,
            vendor=product.vendor,
            customer_company=f"Earlier {n}",
            contact_name="Earlier",
            contact_email=f"earlier{n}@example.com",
            delivered_at=timezone.now() - timedelta(days=30 + n),
        )
        SatisfactionResponse.objects.create(
            engagement=engagement,
            organisation=partner,
            satisfaction=4,
            recommend=8,
            answered_at=timezone.now() - timedelta(days=28 + n),
        )
    return partner


def test_request_route_accept_deliver_rate_trust(page: Page, live_server, home_page, partner):
    base = live_server.url
    page.goto(base + "/partners/berlin-net/")
    expect(page.get_by_text("Not enough answers yet")).to_be_visible()
    page.get_by_role("link", name="Ask Berlin Net for help").click()

    page.get_by_label("Arcline Networks · Arcline SD-WAN").check()
    page.get_by_label("Where the work is").select_option("eu")
    page.get_by_label("What do you need?").fill("SD-WAN for our twelve branch offices.")
    page.locator("#id_company").fill("Hamburg Freight")
    page.get_by_label("Company size").select_option("250-999")
    page.get_by_label("Your name").fill("Greta Hansen")
    page.get_by_label("Work e-mail").fill("greta@hamburg-freight.example")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    page.goto(_link(r"/partners/request/confirm/\S+/", base))
    expect(page.get_by_text("Thank you: your e-mail address is confirmed.")).to_be_visible()
    expect(page.get_by_text("Offered to Berlin Net.")).to_be_visible()
    follow_url = page.url

    admin = page.context.browser.new_context().new_page()
    sign_in(admin, base, partner.admin.email)
    admin.goto(base + "/partners/leads/")
    admin.get_by_role("link", name="Hamburg Freight").click()
    expect(admin.get_by_text("SD-WAN for our twelve branch offices.")).to_be_visible()
    admin.get_by_role("button", name="Accept").click()
    expect(admin.get_by_text("greta@hamburg-freight.example")).to_be_visible()
    admin.get_by_role("link", name="Open the engagement").click()
    admin.get_by_role("button", name="Mark delivered").click()

    page.goto(follow_url)
    expect(page.get_by_text("Berlin Net accepted and will contact you.")).to_be_visible()
    expect(page.get_by_text("Berlin Net marked the work delivered.")).to_be_visible()

    page.goto(_link(r"/partners/survey/\S+/", base))
    page.get_by_role("group", name=re.compile("How satisfied")).get_by_label("5", exact=True).check()
    page.get_by_role("group", name=re.compile("How likely")).get_by_label("9", exact=True).check()
    page.get_by_label("A comment (optional)").fill("Every branch was online a week early.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Thank you: your answer is recorded.")).to_be_visible()

    page.goto(base + "/partners/berlin-net/")
    expect(page.locator("[data-trust-score]")).to_have_text("4.2")
    expect(page.get_by_text("Every branch was online a week early.")).to_be_visible()
