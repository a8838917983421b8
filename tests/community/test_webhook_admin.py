"""The webhook pages of the Wagtail admin: only the vendor's staff reach its endpoints, bad input
shows a clear error and keeps what was typed, the secret is shown once, and the pages answer in a
fixed number of queries."""

import re
import socket

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.models import WebhookEndpoint, WebhookMessage
from community.webhooks import endpoints
from tests.factories.community import VendorFactory
from tests.factories.roles import VENDOR_STAFF, people_in_every_role
from tests.roles import Case, assert_exactly_the_allowed_roles, did, shows

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.com/in"


@pytest.fixture(autouse=True)
def _public_dns(monkeypatch):
    """hooks.example.com resolves to a public address; the rest as the resolver says."""
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host.endswith("example.com"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def _endpoint(vendor, url=URL):
    return endpoints.endpoint_create(
        vendor=vendor, url=url, description="CRM", event_types=["certificate.issued"], enabled=True, user=None
    )


@pytest.fixture
def world():
    own, rival = VendorFactory(name="Own Vendor"), VendorFactory(name="Rival Vendor")
    endpoint = _endpoint(own)
    message = WebhookMessage.objects.create(endpoint=endpoint, event_type="certificate.issued", payload="{}")
    return {
        "people": people_in_every_role(vendor=own, other_vendor=rival),
        "vendor": own,
        "endpoint": endpoint,
        "message": message,
    }


def _url(name):
    return lambda w: reverse(f"webhooks_admin:{name}", args=[w["endpoint"].pk])


CASES = {
    "endpoint list": Case("get", lambda w: reverse("webhooks_admin:index"), shows(lambda w: URL), VENDOR_STAFF),
    "add an endpoint": Case(
        "post",
        lambda w: reverse("webhooks_admin:create"),
        did(lambda w: WebhookEndpoint.objects.filter(url="https://new.example.com/h").exists()),
        VENDOR_STAFF,
        data=lambda w: {
            "vendor": w["vendor"].pk,
            "url": "https://new.example.com/h",
            "event_types": ["request.offered"],
        },
    ),
    "endpoint page": Case("get", _url("detail"), shows(lambda w: w["message"].uid), VENDOR_STAFF),
    "change the endpoint": Case(
        "post",
        _url("detail"),
        did(lambda w: WebhookEndpoint.objects.filter(pk=w["endpoint"].pk, description="Changed").exists()),
        VENDOR_STAFF,
        data=lambda w: {"url": URL, "description": "Changed", "event_types": ["certificate.revoked"]},
    ),
    "rotate the secret": Case(
        "post",
        _url("rotate"),
        did(lambda w: WebhookEndpoint.objects.get(pk=w["endpoint"].pk).secret != w["endpoint"].secret),
        VENDOR_STAFF,
    ),
    "disable": Case(
        "post",
        _url("enable"),
        did(lambda w: not WebhookEndpoint.objects.get(pk=w["endpoint"].pk).enabled),
        VENDOR_STAFF,
        data=lambda w: {"enabled": "0"},
    ),
    "send a test event": Case(
        "post",
        _url("test"),
        did(lambda w: WebhookMessage.objects.filter(endpoint=w["endpoint"], event_type="webhook.test").exists()),
        VENDOR_STAFF,
    ),
    "replay a message": Case(
        "post",
        lambda w: reverse("webhooks_admin:replay", args=[w["endpoint"].pk, w["message"].pk]),
        did(lambda w: WebhookMessage.objects.get(pk=w["message"].pk).next_attempt_at is not None),
        VENDOR_STAFF,
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_each_page_and_action_is_for_the_vendors_staff_only(world, name, monkeypatch):
    from community.webhooks import delivery

    monkeypatch.setattr(delivery, "request_send", lambda **kw: delivery.Outcome(status_code=200))
    assert_exactly_the_allowed_roles(world, CASES[name])


def _client(world, role="programme_manager"):
    client = Client()
    client.force_login(world["people"][role])
    return client


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://hooks.example.com/in", "https://"),
        ("https://127.0.0.1/in", "private, local or reserved"),
        ("https://169.254.169.254/latest/", "private, local or reserved"),
    ],
)
def test_a_bad_url_is_refused_clearly_and_the_form_keeps_the_input(world, url, error):
    response = _client(world).post(
        reverse("webhooks_admin:create"),
        {"vendor": world["vendor"].pk, "url": url, "description": "My CRM", "event_types": ["request.offered"]},
    )
    page = response.content.decode()
    assert response.status_code == 400 and error in page
    assert "My CRM" in page and f'value="{url}"' in page
    assert re.search(r'value="request\.offered"[^>]*checked', page)
    assert not WebhookEndpoint.objects.filter(url=url).exists()


def test_no_event_type_is_refused(world):
    response = _client(world).post(
        reverse("webhooks_admin:create"),
        {"vendor": world["vendor"].pk, "url": "https://x.example.com/", "description": "Kept"},
    )
    assert response.status_code == 400 and "Choose at least one event." in response.content.decode()
    assert "Kept" in response.content.decode()


def test_the_secret_is_shown_once_when_added(world):
    client = _client(world)
    response = client.post(
        reverse("webhooks_admin:create"),
        {"vendor": world["vendor"].pk, "url": "https://y.example.com/", "event_types": ["certificate.issued"]},
    )
    endpoint = WebhookEndpoint.objects.get(url="https://y.example.com/")
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in response.content.decode()
    assert endpoint.secret not in client.get(reverse("webhooks_admin:detail", args=[endpoint.pk])).content.decode()


def test_user_written_text_is_escaped(world):
    WebhookEndpoint.objects.filter(pk=world["endpoint"].pk).update(description="<script>x</script>")
    page = _client(world).get(reverse("webhooks_admin:index")).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


def test_the_pages_answer_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = _client(world)
    for n in range(5):
        endpoint = _endpoint(world["vendor"], url=f"https://h{n}.example.com/")
        for _ in range(3):
            WebhookMessage.objects.create(
                endpoint=endpoint, event_type="x", payload="{}", next_attempt_at=timezone.now()
            )
    client.get(reverse("webhooks_admin:index"))  # warm the admin's own caches
    with django_assert_max_num_queries(20):
        assert client.get(reverse("webhooks_admin:index")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("webhooks_admin:detail", args=[endpoint.pk])).status_code == 200
