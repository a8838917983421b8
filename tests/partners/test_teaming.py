"""Teaming: complementary partners are suggested (same region, holding the product, not
competing on the lead's own products), invited by the lead's answerers only, answer once, and the
customer sees the team."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from community.models import Region
from partners import offers, teaming, tokens
from partners.models import EngagementPartner
from tests.certifications.rights.test_rights import make_rule
from tests.factories.community import ProductFactory, VendorFactory
from tests.factories.roles import people_in_every_role
from tests.partners.marketplace import authorised_partner, customer_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    router = ProductFactory(vendor=VendorFactory(name="Northwind"), name="Router", slug="router")
    wifi = ProductFactory(vendor=VendorFactory(name="Arclight"), name="Campus Wi-Fi", slug="wifi")
    for product in (router, wifi):
        make_rule(product=product)
    lead = authorised_partner(router, name="Lead")
    complementary = authorised_partner(wifi, name="Wireless Co")
    authorised_partner(wifi, router, name="Competitor")
    authorised_partner(wifi, region=Region.ASIA_PACIFIC, name="Far away")
    request = customer_request(router)
    engagement = offers.offer_accept(offer_id=request.offers.get(organisation=lead).pk, user=lead.admin)
    return {
        "router": router,
        "wifi": wifi,
        "lead": lead,
        "complementary": complementary,
        "engagement": engagement,
        "request": request,
    }


def test_suggestions_hold_the_product_in_the_region_and_do_not_compete(world):
    engagement = world["engagement"]
    assert list(teaming.products_to_team_for(engagement=engagement)) == [world["wifi"]]
    assert [p.name for p in teaming.teaming_suggestions(engagement=engagement, product=world["wifi"])] == [
        "Wireless Co"
    ]


def test_the_lead_invites_the_partner_joins_and_the_customer_sees_the_team(world):
    engagement, wifi, partner = world["engagement"], world["wifi"], world["complementary"]
    member = teaming.team_invite(
        engagement=engagement,
        organisation=partner,
        product=wifi,
        part="Wi-Fi survey and install",
        user=world["lead"].admin,
    )
    with pytest.raises(ValidationError):
        teaming.team_invite(
            engagement=engagement, organisation=partner, product=wifi, part="again", user=world["lead"].admin
        )
    teaming.team_answer(member_id=member.pk, user=partner.admin, accept=True)
    with pytest.raises(ValidationError):
        teaming.team_answer(member_id=member.pk, user=partner.admin, accept=False)
    follow = (
        Client()
        .get(
            reverse("partners:request_follow", kwargs={"token": tokens.token_make(tokens.FOLLOW, world["request"].pk)})
        )
        .content.decode()
    )
    assert "Your team" in follow and "Wi-Fi survey and install" in follow and "Wireless Co joined the team." in follow


def test_only_the_leads_answerers_invite_and_only_suggested_partners(world):
    engagement, wifi = world["engagement"], world["wifi"]
    with pytest.raises(PermissionDenied):
        teaming.team_invite(
            engagement=engagement,
            organisation=world["complementary"],
            product=wifi,
            part="x",
            user=world["complementary"].admin,
        )
    competitor = engagement.organisation.__class__.objects.get(name="Competitor")
    with pytest.raises(ValidationError):
        teaming.team_invite(
            engagement=engagement, organisation=competitor, product=wifi, part="x", user=world["lead"].admin
        )
    assert not EngagementPartner.objects.exists()


def test_each_role_reaches_only_its_own_team_pages(world):
    member = teaming.team_invite(
        engagement=world["engagement"],
        organisation=world["complementary"],
        product=world["wifi"],
        part="Wi-Fi",
        user=world["lead"].admin,
    )
    people = people_in_every_role(vendor=world["router"].vendor, other_vendor=world["wifi"].vendor)
    people |= {"lead_admin": world["lead"].admin, "invited_admin": world["complementary"].admin}
    pages = {
        "team": reverse("partners:engagement_team", kwargs={"pk": world["engagement"].pk}),
        "invitation": reverse("partners:team_invitation", kwargs={"pk": member.pk}),
    }
    seen = {}
    for role, person in people.items():
        client = Client()
        if person:
            client.force_login(person)
        seen[role] = tuple(client.get(url).status_code for url in pages.values())
    assert seen == {
        "anonymous": (302, 302),
        "engineer": (403, 403),
        "partner_admin": (404, 404),
        "vendor_author": (403, 403),
        "programme_manager": (403, 403),
        "other_programme_manager": (403, 403),
        "moderator": (403, 403),
        "superuser": (403, 403),
        "lead_admin": (200, 404),
        "invited_admin": (404, 200),
    }


def test_the_team_page_invites_and_keeps_the_part_on_error(world):
    client = Client()
    client.force_login(world["lead"].admin)
    url = reverse("partners:engagement_team", kwargs={"pk": world["engagement"].pk})
    page = client.get(url + "?product=wifi").content.decode()
    assert "Wireless Co" in page and "Competitor" not in page
    response = client.post(url, {"product": world["wifi"].pk, "partner": world["complementary"].pk, "part": "   "})
    assert "Say what their part of the work is." in response.content.decode()
    response = client.post(
        url, {"product": world["wifi"].pk, "partner": world["complementary"].pk, "part": "<b>Wi-Fi</b>"}
    )
    assert response.status_code == 302
    assert "&lt;b&gt;Wi-Fi&lt;/b&gt;" in client.get(url).content.decode()
