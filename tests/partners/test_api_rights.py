"""`GET /api/v1/delivery-rights`: rights in force, filters, pagination, no private data, and
its place in the OpenAPI description."""

import json

import pytest
from django.test import Client

from tests.certifications.rights.test_rights import give_right, make_rule
from tests.factories.community import MembershipFactory, OrganisationFactory, ProductFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/delivery-rights"


@pytest.fixture
def product():
    product = ProductFactory(name="Edge Router", slug="edge-router")
    make_rule(product=product)
    return product


def get(**params):
    response = Client().get(URL, params)
    return response.status_code, response.json()


def test_lists_rights_in_force_with_public_facts_only(product):
    organisation = OrganisationFactory(name="Berlin Net", slug="berlin-net", website="https://berlin.example")
    member = MembershipFactory(organisation=organisation).user
    grace = give_right(organisation, product, "grace", engineers=1)
    give_right(OrganisationFactory(), product, "lapsed")
    status, body = get()
    assert status == 200
    assert body["count"] == 1 and body["pages"] == 1 and body["next"] is None
    (right,) = body["results"]
    assert right["status"] == "grace" and right["certified_engineers"] == 1
    assert right["grace_ends_at"].startswith(grace.grace_ends_at.date().isoformat())
    assert right["organisation"]["slug"] == "berlin-net" and right["organisation"]["region"] == "eu"
    assert right["organisation"]["website"] == "https://berlin.example"
    assert right["organisation"]["profile_url"] == "http://testserver/partners/berlin-net/"
    assert right["product"] == {"slug": "edge-router", "name": "Edge Router", "vendor": product.vendor.name}
    text = json.dumps(body)
    assert member.email not in text and member.full_name not in text and '"id"' not in text


def test_filters_by_product_region_and_organisation(product):
    other = ProductFactory(slug="cloud-vault")
    make_rule(product=other)
    eu = OrganisationFactory(slug="eu-co", region="eu")
    gc = OrganisationFactory(slug="gc-co", region="gc")
    give_right(eu, product)
    give_right(gc, product)
    give_right(gc, other)

    def slugs(**params):
        return [(r["organisation"]["slug"], r["product"]["slug"]) for r in get(**params)[1]["results"]]

    assert slugs(product="cloud-vault") == [("gc-co", "cloud-vault")]
    assert slugs(region="eu") == [("eu-co", "edge-router")]
    assert sorted(slugs(organisation="gc-co")) == [("gc-co", "cloud-vault"), ("gc-co", "edge-router")]
    assert slugs(product="edge-router", region="gc") == [("gc-co", "edge-router")]
    assert slugs(product="no-such-product") == []


def test_an_unknown_region_is_a_clear_400(product):
    status, body = get(region="mars")
    assert status == 400 and body["error"] == "invalid_filter" and "mars" in body["message"]


def test_a_page_past_the_last_is_a_404(product):
    status, body = get(page=3)
    assert status == 404 and body["error"] == "not_found" and "no page 3" in body["message"]


@pytest.mark.parametrize(
    "params",
    [
        {"page": "x"},
        {"page": "null"},
        {"page": 0},
        {"page": -1},
        {"product": "edge\x00router"},
        {"organisation": "a b"},
    ],
)
def test_parameters_outside_the_schema_are_a_documented_422(product, params):
    status, body = get(**params)
    assert status == 422
    assert body["error"] == "invalid_request"
    (name,) = params
    assert name in body["message"] and [issue["loc"] for issue in body["detail"]] == [["query", name]]


def test_paginates_fifty_a_page(product, count_queries):
    for i in range(55):
        give_right(OrganisationFactory(name=f"Partner {i:02}"), product)
    with count_queries() as queries:
        status, first = get()
    assert status == 200 and len(first["results"]) == 50 and first["pages"] == 2
    assert first["next"] == "http://testserver/api/v1/delivery-rights?page=2"
    queries.assert_at_most(3)  # the count, the page, the page's partners' tiers
    status, second = get(page=2)
    assert [r["organisation"]["name"] for r in second["results"]] == [f"Partner {i}" for i in range(50, 55)]
    assert second["previous"].endswith("page=1")


def test_described_in_openapi():
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/delivery-rights"]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert set(parameters) >= {"product", "region", "organisation", "page"}
    assert parameters["page"]["minimum"] == 1
    assert parameters["region"]["enum"] == ["", "na", "latam", "eu", "mea", "gc", "apac"]
    assert {"200", "400", "404", "422"} <= set(operation["responses"])
