"""The public partner directory and partner profiles: who is listed, filters, escaping, names
only of engineers who opted in, and query counts that do not grow with data."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certifications.certificates import selectors as certificate_selectors
from certifications.models import OrganisationDeliveryRight
from certifications.rights import selectors as rights_selectors
from community.models import PartnerOrganisation
from partners.directory_cache import directory_results
from tests.certifications.rights.test_rights import engineer_with, give_right, make_rule
from tests.factories import certifications as cert_factories
from tests.factories.community import PASSWORD, MembershipFactory, OrganisationFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("partners:directory")


@pytest.fixture
def product():
    product = ProductFactory(name="Edge Router", slug="edge-router")
    make_rule(product=product)
    return product


def names(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


def test_lists_only_partners_that_may_deliver(product):
    active = OrganisationFactory(name="Active Co")
    grace = OrganisationFactory(name="Grace Co")
    lapsed = OrganisationFactory(name="Lapsed Co")
    OrganisationFactory(name="Never Co")
    give_right(active, product)
    give_right(grace, product, "grace")
    give_right(lapsed, product, "lapsed")
    response = Client().get(DIRECTORY)
    assert response.status_code == 200
    assert names(response) == ["Active Co", "Grace Co"]
    assert "Lapsed Co" not in response.content.decode() and "Never Co" not in response.content.decode()


def test_filters_by_product_region_and_text(product):
    other = ProductFactory(name="Cloud Vault", slug="cloud-vault")
    make_rule(product=other)
    berlin = OrganisationFactory(name="Berlin Net", city="Berlin", region="eu")
    shanghai = OrganisationFactory(name="Dragon Systems", city="Shanghai", region="gc", description="SD-WAN experts")
    give_right(berlin, product)
    give_right(shanghai, product)
    give_right(shanghai, other)
    client = Client()
    assert names(client.get(DIRECTORY, {"product": "cloud-vault"})) == ["Dragon Systems"]
    assert names(client.get(DIRECTORY, {"region": "eu"})) == ["Berlin Net"]
    assert names(client.get(DIRECTORY, {"q": "sd-wan"})) == ["Dragon Systems"]
    assert names(client.get(DIRECTORY, {"q": "berlin"})) == ["Berlin Net"]
    assert names(client.get(DIRECTORY, {"product": "edge-router", "region": "gc"})) == ["Dragon Systems"]


def test_unknown_filters_are_reported_and_the_rest_still_applies(product):
    give_right(OrganisationFactory(name="Berlin Net"), product)
    give_right(OrganisationFactory(name="Other", city="Paris"), product)
    response = Client().get(DIRECTORY, {"product": "nope", "region": "mars", "q": "berlin"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is no product “nope” in the directory." in html
    assert "There is no region “mars”." in html
    assert names(response) == ["Berlin Net"]
    assert 'value="berlin"' in html


def test_pagination_keeps_the_filters(product):
    for i in range(14):
        give_right(OrganisationFactory(name=f"Partner {i:02}", region="eu"), product)
    client = Client()
    first = client.get(DIRECTORY, {"region": "eu"})
    assert len(names(first)) == 12
    assert "region=eu&amp;page=2" in first.content.decode()
    second = client.get(DIRECTORY, {"region": "eu", "page": "2"})
    assert names(second) == ["Partner 12", "Partner 13"]
    assert client.get(DIRECTORY, {"page": "abc"}).status_code == 200


def test_user_text_is_escaped(product):
    give_right(OrganisationFactory(name="<script>alert(1)</script>", description="<b>bold</b>"), product)
    html = Client().get(DIRECTORY, {"q": "<script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_partner_count_is_grouped_in_thousands(product):
    organisations = PartnerOrganisation.objects.bulk_create(OrganisationFactory.build_batch(1_001))
    now = timezone.now()
    OrganisationDeliveryRight.objects.bulk_create(
        OrganisationDeliveryRight(
            organisation=o, product=product, status="active", active_since=now, certified_engineers=1, updated_at=now
        )
        for o in organisations
    )
    assert "1,001 partners" in Client().get(DIRECTORY).content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_directory_query_count_does_not_grow(product, count_queries, signed_in):
    client = Client()
    if signed_in:
        user = MembershipFactory().user
        client.login(email=user.email, password=PASSWORD)

    def add(n):
        for _ in range(n):
            organisation = OrganisationFactory()
            give_right(organisation, product)
            extra = ProductFactory()
            make_rule(product=extra)
            give_right(organisation, extra, "grace")

    add(2)
    client.get(DIRECTORY, {"q": ""})  # per-process caches; another query string, so other results
    with count_queries() as few:
        assert client.get(DIRECTORY).status_code == 200
    add(10)  # a new generation: the results are rendered again
    with count_queries() as many:
        assert client.get(DIRECTORY).status_code == 200
    assert len(many) == len(few)
    # 5 for the page (the tier filter's choices among them), 1 for the partners' tiers and 4 for
    # their trust profiles (partners.trust); signed in, the session, user and header
    many.assert_at_most(15 if signed_in else 10)
    with count_queries() as cached:
        assert client.get(DIRECTORY).status_code == 200
    assert "certifications_organisationdeliveryright" not in cached.sql(), cached.sql()


# --- Profile ------------------------------------------------------------------------------------


def test_profile_shows_products_since_engineers_and_only_opted_in_names(product, organisation):
    certification = product.delivery_rule.certifications.get()
    listed, _ = engineer_with(organisation, certification)
    listed.full_name, listed.public_profile = "Listed Engineer", True
    listed.save()
    hidden, _ = engineer_with(organisation, certification)
    hidden.full_name = "Hidden Engineer"
    hidden.save()
    uncertified = MembershipFactory(organisation=organisation).user
    uncertified.public_profile, uncertified.full_name = True, "Learner Only"
    uncertified.save()
    organisation.website = "https://partner.example"
    organisation.save()
    give_right(organisation, product, engineers=2)
    response = Client().get(reverse("partners:partner", kwargs={"slug": organisation.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Edge Router" in html and "https://partner.example" in html and "Europe" in html
    assert "Listed Engineer" in html
    assert "Hidden Engineer" not in html and "Learner Only" not in html
    assert listed.email not in html and hidden.email not in html


def test_profile_of_a_partner_that_may_not_deliver_is_404(product):
    lapsed = OrganisationFactory()
    give_right(lapsed, product, "lapsed")
    client = Client()
    assert client.get(reverse("partners:partner", kwargs={"slug": lapsed.slug})).status_code == 404
    assert client.get(reverse("partners:partner", kwargs={"slug": "nobody"})).status_code == 404


def test_profile_query_count_does_not_grow(product, organisation, count_queries):
    certification = product.delivery_rule.certifications.get()
    url = reverse("partners:partner", kwargs={"slug": organisation.slug})
    give_right(organisation, product)

    def add(n):
        for _ in range(n):
            user, _ = engineer_with(organisation, certification)
            user.public_profile = True
            user.save()
            extra = ProductFactory()
            make_rule(product=extra)
            give_right(organisation, extra)

    def counts():
        """Queries with the trust profile orphaned, then with it cached."""
        directory_results.changed()
        with count_queries() as cold:
            response = Client().get(url)
        with count_queries() as warm:
            Client().get(url)
        return response, cold, warm

    add(1)
    Client().get(url)  # the first page reads what later pages find cached
    _, few_cold, few_warm = counts()
    add(8)
    response, many_cold, many_warm = counts()
    assert len(response.context["profile"].engineer_names) == 9
    assert (len(many_cold), len(many_warm)) == (len(few_cold), len(few_warm))
    # the profile: organisation, rights, their credentials, engineer names, rights history, tiers;
    # the trust profile (cached with the directory's results): answers, delivered engagements,
    # accepted offers, forum answers, comments
    many_cold.assert_at_most(11)
    many_warm.assert_at_most(6)


# --- Selectors the forums call -------------------------------------------------------------------


def test_partners_with_delivery_right_are_active_or_grace_in_the_region(product):
    eu_active = OrganisationFactory(name="A", region="eu")
    eu_grace = OrganisationFactory(name="B", region="eu")
    gc = OrganisationFactory(name="C", region="gc")
    lapsed = OrganisationFactory(name="D", region="eu")
    for organisation, status in [(eu_active, "active"), (eu_grace, "grace"), (gc, "active"), (lapsed, "lapsed")]:
        give_right(organisation, product, status)
    assert list(rights_selectors.partners_with_delivery_right(product_id=product.pk)) == [eu_active, eu_grace, gc]
    assert list(rights_selectors.partners_with_delivery_right(product_id=product.pk, region="eu")) == [
        eu_active,
        eu_grace,
    ]


def test_certification_badges_in_one_query(count_queries):
    holder, other, nobody = UserFactory(), UserFactory(), UserFactory()
    first = cert_factories.certification(title="Edge Associate")
    second = cert_factories.certification(title="Cloud Professional")
    cert = cert_factories.certificate(holder=holder, certification_page=first)
    cert_factories.certificate(holder=holder, certification_page=second)
    cert_factories.certificate(holder=holder, certification_page=second)  # a renewal: one badge
    cert_factories.certificate(holder=other, certification_page=first, status="revoked")
    with count_queries() as queries:
        badges = certificate_selectors.certification_badges_for_users(user_ids=[holder.pk, other.pk, nobody.pk])
    assert len(queries) == 1
    assert badges == {
        holder.pk: [
            {"name": "Cloud Professional", "vendor": second.vendor.name, "url": badges[holder.pk][0]["url"]},
            {
                "name": "Edge Associate",
                "vendor": first.vendor.name,
                "url": reverse("certifications:verify_serial", kwargs={"serial": cert.serial}),
            },
        ]
    }


# --- Cached results -----------------------------------------------------------------------------


def test_directory_results_follow_every_change_of_what_they_show(product):
    client = Client()
    organisation = OrganisationFactory(name="Harbour Networks")
    assert "Harbour Networks" not in client.get(DIRECTORY).content.decode()
    right = give_right(organisation, product)
    assert "Harbour Networks" in client.get(DIRECTORY).content.decode()
    organisation.name = "Harbour Systems"
    organisation.save()
    assert "Harbour Systems" in client.get(DIRECTORY).content.decode()
    product.name = "Renamed product"
    product.save()
    assert "Renamed product" in client.get(DIRECTORY).content.decode()
    right.status = "lapsed"
    right.save()
    assert "Harbour Systems" not in client.get(DIRECTORY).content.decode()


def test_filter_selects_group_products_by_vendor_and_keep_the_choice(product):
    html = Client().get(DIRECTORY, {"product": product.slug, "region": "nope"}).content.decode()
    chosen = f'<option value="{product.slug}" selected>Edge Router</option>'
    assert f'<optgroup label="{product.vendor.name}">{chosen}' in html
    assert '<select name="region" id="id_region" aria-invalid="true" aria-describedby="id_region-errors">' in html
    assert "There is no region “nope”." in html


def test_a_right_in_its_grace_period_is_shown_as_renewal_pending(product):
    """The directory says what the partner page says: a right in grace is not a plain "may deliver"."""
    give_right(OrganisationFactory(name="Active Co"), product)
    give_right(OrganisationFactory(name="Grace Co"), ProductFactory(name="Cloud Vault", slug="cloud-vault"), "grace")
    html = Client().get(DIRECTORY).content.decode()
    active_card, grace_card = html.split('class="card partner-card"')[1:]
    assert "Edge Router" in active_card and "renewal pending" not in active_card
    assert "Cloud Vault" in grace_card and "renewal pending" in grace_card
