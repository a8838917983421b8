"""Browser test: a visitor finds an authorised partner in the directory by product and region and
opens its profile; a partner admin sees what the team still needs."""

import pytest
from playwright.sync_api import Page, expect

from certifications.models import DeliveryRightEvent
from certifications.rights import services as rights
from tests.certifications.rights.test_rights import engineer_with, make_rule
from tests.factories.community import PASSWORD, MembershipFactory, OrganisationFactory, ProductFactory, VendorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partners():
    vendor = VendorFactory(name="Arcline Networks")
    sdwan = ProductFactory(vendor=vendor, name="Arcline SD-WAN", slug="arcline-sd-wan")
    firewall = ProductFactory(vendor=vendor, name="Arcline Firewall", slug="arcline-firewall")
    sdwan_rule = make_rule(product=sdwan, min_engineers=1)
    make_rule(product=firewall, min_engineers=2)
    shanghai = OrganisationFactory(
        name="Dragonfly Systems", slug="dragonfly", region="gc", country="CN", city="Shanghai"
    )
    berlin = OrganisationFactory(name="Berlin Net", slug="berlin-net", region="eu")
    for organisation in (shanghai, berlin):
        engineer, _ = engineer_with(organisation, sdwan_rule.certifications.get())
        engineer.full_name, engineer.public_profile = f"Listed at {organisation.name}", True
        engineer.save()
        rights.rights_recompute_organisation(
            organisation_id=organisation.pk, cause=DeliveryRightEvent.Cause.CERTIFICATE_ISSUED
        )
    return shanghai


def test_visitor_filters_the_directory_and_opens_a_profile(page: Page, live_server, home_page, partners):
    page.goto(live_server.url + "/partners/")
    expect(page.get_by_role("heading", name="2 partners")).to_be_visible()
    page.get_by_label("Product:").select_option("arcline-sd-wan")
    page.get_by_label("Region:").select_option("gc")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 partner")).to_be_visible()
    page.get_by_role("link", name="Dragonfly Systems").click()
    expect(page.get_by_role("heading", level=1, name="Dragonfly Systems")).to_be_visible()
    expect(page.get_by_role("cell", name="Arcline SD-WAN")).to_be_visible()
    expect(page.get_by_text("Listed at Dragonfly Systems")).to_be_visible()


def test_partner_admin_sees_the_gap(page: Page, live_server, home_page, partners):
    admin = MembershipFactory(organisation=partners, role="admin").user
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/organisation/")
    page.get_by_role("link", name="Delivery rights").click()
    expect(page.get_by_role("heading", level=1, name="Delivery rights")).to_be_visible()
    firewall = page.get_by_role("article", name="Arcline Firewall")
    expect(firewall.get_by_text("2 more needed")).to_be_visible()
    expect(page.get_by_role("article", name="Arcline SD-WAN").get_by_text("Active")).to_be_visible()
