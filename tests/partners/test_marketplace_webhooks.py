"""Marketplace transitions reach the vendor's webhooks: a request offered and accepted, an
engagement delivered, each a message to the vendor's endpoint with ids and slugs and no customer
contact; another vendor's endpoint gets nothing."""

import json

import pytest

from community.models import WebhookMessage
from community.webhooks import delivery, endpoints
from tests.certifications.rights.test_rights import make_rule
from tests.factories.community import ProductFactory, VendorFactory
from tests.partners.marketplace import authorised_partner, engagement_for

pytestmark = pytest.mark.django_db(transaction=True)

TYPES = ["request.offered", "request.accepted", "engagement.delivered"]


def test_offer_accept_and_delivery_are_published_to_the_vendors_endpoint_only(monkeypatch, home_page):
    monkeypatch.setattr(delivery, "request_send", lambda **kw: delivery.Outcome(status_code=200))
    monkeypatch.setattr("socket.getaddrinfo", lambda host, port, **kw: [(2, 1, 6, "", ("93.184.216.34", port))])
    vendor = VendorFactory(name="Northwind")
    router = ProductFactory(vendor=vendor, name="Router", slug="router")
    make_rule(product=router)
    partner = authorised_partner(router, slug="acme")
    mine, theirs = (
        endpoints.endpoint_create(
            vendor=owner, url="https://hooks.example.com/", description="", event_types=TYPES, enabled=True, user=None
        )
        for owner in (vendor, VendorFactory())
    )
    engagement = engagement_for(partner, router, delivered=True)
    messages = {m.event_type: json.loads(m.payload) for m in WebhookMessage.objects.filter(endpoint=mine)}
    assert set(messages) == set(TYPES)
    assert messages["request.offered"]["data"]["partner"] == "acme"
    assert messages["request.accepted"]["data"]["products"] == ["router"]
    assert messages["engagement.delivered"]["data"]["engagement_id"] == engagement.pk
    assert "ana@customer.example" not in str(messages) and "Customer GmbH" not in str(messages)
    assert not WebhookMessage.objects.filter(endpoint=theirs).exists()
    assert all(m.status == WebhookMessage.Status.DELIVERED for m in WebhookMessage.objects.all())
