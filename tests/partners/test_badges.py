"""Live badges: `/partners/<slug>/badges/<product>.svg` shows each right's status now to anyone,
escaped and cached for a minute at most; `/partners/<slug>/badges/` gives the organisation's own
admins the snippet and the right's credential."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from certifications.models import OrganisationDeliveryRight
from certifications.verification.right_credentials import right_credential_sync
from tests.certifications.rights.test_rights import give_right, make_rule
from tests.factories.community import MembershipFactory, OrganisationFactory, ProductFactory, VendorFactory
from tests.factories.roles import people_in_every_role

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = 'Acme <script>x()</script> & "Co" \'s'


@pytest.fixture
def product():
    product = ProductFactory(vendor=VendorFactory(name="Northwind"), name="Edge <Router>", slug="edge-router")
    make_rule(product=product)
    return product


@pytest.fixture
def partner(product):
    organisation = OrganisationFactory(name=HOSTILE, slug="acme")
    right = give_right(organisation, product)
    right_credential_sync(right=right, now=right.active_since)
    organisation.admin = MembershipFactory(organisation=organisation, role="admin").user
    return organisation


def badge_path(slug="acme", product_slug="edge-router", prefix="") -> str:
    return prefix + reverse("partners:badge", kwargs={"slug": slug, "product_slug": product_slug})


def texts(response) -> list[str]:
    root = ET.fromstring(response.content)
    return [element.text for element in root.iter(f"{SVG}text")]


def set_status(organisation, product, status):
    now = timezone.now()
    OrganisationDeliveryRight.objects.filter(organisation=organisation, product=product).update(
        status=status, grace_ends_at=now if status == "grace" else None, lapsed_at=now if status == "lapsed" else None
    )


def test_the_badge_is_an_svg_that_names_partner_product_and_status(partner, product):
    response = Client().get(badge_path())

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert texts(response) == [HOSTILE, "Edge <Router>", "Partner Academy", "Authorised"]
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize(("status", "shown"), [("grace", "Renewal pending"), ("lapsed", "Lapsed")])
def test_the_badge_follows_the_right_at_once(partner, product, status, shown):
    Client().get(badge_path())
    set_status(partner, product, status)

    assert texts(Client().get(badge_path()))[-1] == shown


def test_browsers_and_proxies_keep_it_a_minute_at_most(partner):
    response = Client().get(badge_path())

    assert response["Cache-Control"] == "public, max-age=60"
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_the_badge_speaks_chinese_under_the_chinese_prefix(partner):
    response = Client().get(badge_path(prefix="/zh-hans"))

    assert response.status_code == 200
    assert texts(response)[-1] == "已授权"


def test_a_long_name_is_shortened_and_the_badge_widens_for_chinese(product):
    organisation = OrganisationFactory(name="北京" * 30, slug="beijing")
    give_right(organisation, product)

    response = Client().get(badge_path(slug="beijing"))

    name = texts(response)[0]
    assert name.endswith("…") and len(name) == 36
    assert int(ET.fromstring(response.content).get("width")) > 36 * 11


@pytest.mark.parametrize(
    ("slug", "product_slug"), [("nobody", "edge-router"), ("acme", "nothing"), ("other", "edge-router")]
)
def test_no_badge_where_there_was_never_a_right(partner, slug, product_slug):
    OrganisationFactory(slug="other")

    assert Client().get(badge_path(slug=slug, product_slug=product_slug)).status_code == 404


def test_the_badge_costs_one_query_of_its_own(partner, count_queries):
    with count_queries() as queries:
        Client().get(badge_path())

    # the site, which every request looks up, and the right with both names
    queries.assert_at_most(2)


@pytest.fixture
def people(product, partner):
    people = people_in_every_role(vendor=product.vendor, other_vendor=VendorFactory())
    people["own_admin"] = partner.admin
    people["own_engineer"] = MembershipFactory(organisation=partner, role="engineer").user
    return people


def answers(people, path) -> dict[str, int]:
    seen = {}
    for role, person in people.items():
        client = Client()
        if person:
            client.force_login(person)
        seen[role] = client.get(path).status_code
    return seen


def test_everyone_may_fetch_the_badge(people):
    assert set(answers(people, badge_path()).values()) == {200}


def test_only_the_organisations_admins_see_the_badges_page(people):
    path = reverse("partners:badges", kwargs={"slug": "acme"})

    seen = answers(people, path)

    assert seen.pop("own_admin") == 200
    assert seen.pop("anonymous") == 302
    assert set(seen.values()) == {404}, seen


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_gives_an_escaped_snippet_the_badge_and_the_credential(partner, product):
    response = signed_in(partner.admin).get(reverse("partners:badges", kwargs={"slug": "acme"}))
    html = response.content.decode()
    credential = partner.delivery_rights.get().credentials.get()

    assert response.status_code == 200
    assert f'src="{badge_path()}"' in html or "badges/edge-router.svg" in html
    # The snippet is shown as text: its own escaping of the partner's name, escaped once more.
    assert escape('<a href="http://testserver/partners/acme/">') in html
    assert escape(escape(HOSTILE)) in html
    assert "<script>" not in html
    assert f"/api/v1/delivery-rights/credentials/{credential.public_id}" in html


def test_a_lapsed_right_keeps_its_badge_and_has_no_credential_to_offer(partner, product):
    right = partner.delivery_rights.get()
    right.status, right.lapsed_at = "lapsed", timezone.now()
    right.save(update_fields=["status", "lapsed_at"])
    right_credential_sync(right=right, now=timezone.now())

    html = signed_in(partner.admin).get(reverse("partners:badges", kwargs={"slug": "acme"})).content.decode()

    assert "badges/edge-router.svg" in html
    assert "/api/v1/delivery-rights/credentials/" not in html
    assert "This right has lapsed" in html


def test_the_page_costs_the_same_for_one_right_and_for_six(partner, product, count_queries):
    client = signed_in(partner.admin)
    path = reverse("partners:badges", kwargs={"slug": "acme"})
    client.get(path)
    with count_queries() as few:
        client.get(path)
    for _i in range(5):
        extra = ProductFactory(vendor=product.vendor)
        make_rule(product=extra)
        right = give_right(partner, extra)
        right_credential_sync(right=right, now=right.active_since)

    with count_queries() as many:
        response = client.get(path)

    assert len(response.context["rows"]) == 6
    assert len(many) == len(few)
    # the session and the user, the organisation, its rights, their credentials, the account menu's
    # membership and permissions
    many.assert_at_most(8)


def test_the_partner_page_links_each_right_to_its_credential(partner):
    credential = partner.delivery_rights.get().credentials.get()

    html = Client().get(reverse("partners:partner", kwargs={"slug": "acme"})).content.decode()

    assert f"/api/v1/delivery-rights/credentials/{credential.public_id}" in html


def test_the_gap_page_leads_its_admins_to_the_badges(partner):
    html = signed_in(partner.admin).get(reverse("certifications:gap", kwargs={"slug": "acme"})).content.decode()

    assert reverse("partners:badges", kwargs={"slug": "acme"}) in html


def test_the_badges_page_speaks_chinese(partner):
    html = signed_in(partner.admin).get("/zh-hans" + reverse("partners:badges", kwargs={"slug": "acme"}))

    assert "用于贵公司网站的徽章" in html.content.decode() and "粘贴到贵公司网站的 HTML" in html.content.decode()
