"""`POST /api/v1/requests`: the form's rules and protections, as JSON."""

import json

import pytest
from django.core import mail
from django.test import Client, override_settings

from partners.models import CustomerRequest
from tests.certifications.rights.test_rights import make_rule
from tests.factories.community import ProductFactory, VendorFactory
from tests.partners.marketplace import authorised_partner

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests"


@pytest.fixture
def router():
    product = ProductFactory(vendor=VendorFactory(name="Northwind"), name="Router", slug="router")
    make_rule(product=product)
    return product


def body(**changes):
    return {
        "products": ["router"],
        "region": "eu",
        "company": "Customer GmbH",
        "company_size": "50-249",
        "contact_name": "Ana Customer",
        "email": "ana@customer.example",
        "need": "Two offices.",
        **changes,
    }


def post(data):
    return Client().post(URL, json.dumps(data), content_type="application/json")


def test_a_request_is_accepted_unconfirmed_and_the_link_emailed(router, django_capture_on_commit_callbacks):
    partner = authorised_partner(router, slug="acme")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(body(partners=["acme"]))
    assert response.status_code == 202 and response.json()["status"] == "unconfirmed"
    request = CustomerRequest.objects.get()
    assert list(request.chosen_partners.all()) == [partner]
    assert request.state == CustomerRequest.State.UNCONFIRMED and not request.offers.exists()
    assert "/partners/request/confirm/" in mail.outbox[0].body


def test_each_wrong_field_is_named(router):
    response = post(body(products=["router", "nope"], email="not-an-address", partners=["ghost"]))
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert fields["products"] == ["Unknown products: nope."]
    assert set(fields) == {"products", "email", "partners"}
    assert not CustomerRequest.objects.exists()


def test_products_of_two_vendors_are_refused(router):
    other = ProductFactory(slug="other")
    make_rule(product=other)
    response = post(body(products=["router", "other"]))
    assert response.status_code == 400 and "one vendor" in response.json()["fields"]["products"][0]


def test_a_missing_field_is_a_422():
    data = body()
    del data["email"]
    assert post(data).status_code == 422


def test_the_honeypot_is_answered_as_accepted_and_nothing_is_stored(router):
    assert post(body(website="http://spam.example")).status_code == 202
    assert not CustomerRequest.objects.exists()


@override_settings(REQUEST_RATE_LIMIT_ADDRESS=2, REQUEST_RATE_LIMIT_EMAIL=0)
def test_the_form_and_the_api_share_one_budget_per_address(router):
    assert post(body()).status_code == 202
    assert Client().post("/partners/request/", {**body(), "products": [router.pk]}).status_code == 302
    response = post(body())
    assert response.status_code == 429 and response.json()["error"] == "rate_limited"
    assert CustomerRequest.objects.count() == 2


def test_the_operation_is_in_the_openapi_document():
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/requests"]["post"]
    assert operation["operationId"] == "partners_api_requests_create"
    assert set(operation["responses"]) == {"202", "400", "422", "429"}


def test_a_body_that_is_not_json_gets_the_documented_400():
    response = Client().post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"] == "malformed_body"
