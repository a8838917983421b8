"""Partner tiers where the public sees them: the directory's cards and its `?tier=` filter (by id
or slug, next to product and region, cached per filter and renewed when a tier moves), the
partner page, and the API's trust profile and delivery rights."""

import pytest
from django.test import Client
from django.urls import reverse

from partners import tiers
from partners.models import PartnerTier
from tests.certifications.rights.test_rights import engineer_with, make_rule, recompute
from tests.factories.community import OrganisationFactory, ProductFactory, VendorFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("partners:directory")
Cause = tiers.Cause


@pytest.fixture
def vendor():
    return VendorFactory(name="Northwind")


@pytest.fixture
def rule(vendor):
    return make_rule(product=ProductFactory(vendor=vendor, name="Router", slug="router"))


@pytest.fixture
def ladder(vendor):
    made = {}
    for rank, (name, certified) in enumerate([("Registered", 0), ("<i>Gold</i>", 2)], start=1):
        slug = "gold" if rank == 2 else "registered"
        tier = PartnerTier(vendor=vendor, name=name, slug=slug, rank=rank, min_certified=certified)
        made[slug] = tiers.partner_tier_save(tier=tier, changed_by=None)
    return made


def partner(name, rule, engineers, region="eu"):
    organisation = OrganisationFactory(name=name, region=region)
    certification = rule.certifications.get()
    for _ in range(engineers):
        engineer_with(organisation, certification)
    recompute(organisation)
    return organisation


@pytest.fixture
def partners(rule, ladder):
    made = {
        "gold": partner("Gold Co", rule, 2),
        "registered": partner("Registered Co", rule, 1),
        "asia": partner("Asia Gold", rule, 3, region="apac"),
    }
    tiers.tiers_recompute_all(cause=Cause.SWEEP)
    return made


def names(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


def test_the_directory_shows_each_partners_tier_escaped(partners):
    html = Client().get(DIRECTORY).content.decode()
    assert "Northwind &lt;i&gt;Gold&lt;/i&gt;" in html and "<i>Gold</i>" not in html
    assert 'data-tier="registered"' in html


def test_the_directory_filters_by_tier_id_or_slug_next_to_product_and_region(partners, ladder):
    client = Client()
    gold = ladder["gold"]
    assert names(client.get(DIRECTORY, {"tier": gold.pk})) == ["Asia Gold", "Gold Co"]
    assert names(client.get(DIRECTORY, {"tier": "gold"})) == ["Asia Gold", "Gold Co"]
    assert names(client.get(DIRECTORY, {"tier": "GOLD", "region": "eu", "product": "router"})) == ["Gold Co"]
    assert names(client.get(DIRECTORY, {"tier": "registered"})) == ["Registered Co"]
    page = client.get(DIRECTORY, {"tier": gold.pk}).content.decode()
    assert f'<option value="{gold.pk}" selected>' in page and '<optgroup label="Northwind">' in page


def test_a_slug_typed_in_capitals_matches_a_slug_stored_so(partners, ladder):
    gold = ladder["gold"]
    gold.slug = "Gold-Plus"
    tiers.partner_tier_save(tier=gold, changed_by=None)
    assert names(Client().get(DIRECTORY, {"tier": "gold-plus"})) == ["Asia Gold", "Gold Co"]


def test_a_slug_shared_by_two_vendors_matches_both(partners, ladder):
    other_rule = make_rule(product=ProductFactory(name="Vault"))
    other = PartnerTier(vendor=other_rule.product.vendor, name="Gold", slug="gold", rank=1)
    tiers.partner_tier_save(tier=other, changed_by=None)
    vault = partner("Vault Co", other_rule, 1)
    tiers.tiers_recompute_all(cause=Cause.SWEEP)
    assert names(Client().get(DIRECTORY, {"tier": "gold"})) == ["Asia Gold", "Gold Co", "Vault Co"]
    assert vault.pk


@pytest.mark.parametrize("value", ["platinum", "999999", "<script>"])
def test_an_unknown_tier_is_reported_and_the_rest_still_applies(partners, value):
    response = Client().get(DIRECTORY, {"tier": value, "region": "apac"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is no tier" in html and "<script>" not in html
    assert names(response) == ["Asia Gold"]


def test_the_cached_results_follow_the_tier_filter_and_a_tier_moving(partners, ladder, rule):
    client = Client()
    assert names(client.get(DIRECTORY, {"tier": "gold"})) == ["Asia Gold", "Gold Co"]
    assert names(client.get(DIRECTORY, {"tier": "registered"})) == ["Registered Co"]
    certification = rule.certifications.get()
    engineer_with(partners["registered"], certification)
    recompute(partners["registered"])
    tiers.organisation_tiers_recompute(organisation_id=partners["registered"].pk, cause=Cause.RIGHTS_CHANGED)
    assert "Registered Co" in names(client.get(DIRECTORY, {"tier": "gold"}))
    assert names(client.get(DIRECTORY, {"tier": "registered"})) == []


def test_the_directory_with_tiers_runs_a_fixed_number_of_queries(partners, rule, count_queries):
    client = Client()
    client.get(DIRECTORY, {"q": ""})
    with count_queries() as few:
        client.get(DIRECTORY, {"tier": "gold"})
    for n in range(4):
        partner(f"More {n}", rule, 2)
    tiers.tiers_recompute_all(cause=Cause.SWEEP)
    with count_queries() as many:
        assert len(names(client.get(DIRECTORY, {"tier": "gold"}))) == 6
    assert len(many) == len(few), many.sql()
    many.assert_at_most(10)


def test_the_partner_page_shows_its_tiers_and_grace(partners, ladder):
    organisation = partners["gold"]
    url = reverse("partners:partner", kwargs={"slug": organisation.slug})
    html = Client().get(url).content.decode()
    assert "Partner tiers" in html and "&lt;i&gt;Gold&lt;/i&gt;" in html and "under review" not in html
    gold = ladder["gold"]
    gold.min_certified = 3
    tiers.partner_tier_save(tier=gold, changed_by=None)
    tiers.tiers_recompute_all(cause=Cause.TIER_CHANGED)
    assert "under review until" in Client().get(url).content.decode()
    plain = partners["registered"]
    assert "Registered" in Client().get(reverse("partners:partner", kwargs={"slug": plain.slug})).content.decode()


def test_the_api_gives_the_tiers(partners, ladder):
    client = Client()
    body = client.get(f"/api/v1/partners/{partners['gold'].slug}").json()
    assert body["tiers"] == [
        {
            "vendor": "Northwind",
            "name": "<i>Gold</i>",
            "slug": "gold",
            "rank": 2,
            "since": body["tiers"][0]["since"],
            "grace_ends_at": None,
        }
    ]
    rights = client.get("/api/v1/delivery-rights", {"product": "router"}).json()["results"]
    assert {r["organisation"]["name"]: r["tier"]["slug"] for r in rights} == {
        "Asia Gold": "gold",
        "Gold Co": "gold",
        "Registered Co": "registered",
    }


def test_a_partner_without_a_tier_has_none_in_the_api(rule):
    organisation = partner("Plain Co", rule, 1)
    assert Client().get(f"/api/v1/partners/{organisation.slug}").json()["tiers"] == []
    assert Client().get("/api/v1/delivery-rights").json()["results"][0]["tier"] is None
