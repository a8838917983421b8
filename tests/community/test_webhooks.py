"""Webhook signing, the address guard, the retry schedule, claiming, disabling a dead endpoint,
vendor scoping, and delivery to a real receiver on loopback that verifies every signature."""

import json
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from standardwebhooks import Webhook

from community.models import WebhookAttempt, WebhookEndpoint, WebhookMessage
from community.webhooks import delivery, endpoints, publishing
from community.webhooks.addresses import UnsafeAddress, address_refused, target_resolve
from community.webhooks.signing import secret_new, signed_headers
from tests.factories.community import UserFactory, VendorFactory
from tests.webhook_receiver import Receiver

Status = WebhookMessage.Status


@pytest.fixture
def loopback(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True


def _endpoint(vendor, url="https://hooks.example.com/in", events=("certificate.issued",), user=None):
    return endpoints.endpoint_create(
        vendor=vendor, url=url, description="", event_types=list(events), enabled=True, user=user
    )


def test_signature_verifies_with_the_library_and_fails_for_another_body():
    secret = secret_new()
    assert secret.startswith("whsec_")
    body = b'{"type":"certificate.issued","data":{"serial":"A1"}}'
    headers = signed_headers(secret=secret, message_id="msg_1", at=timezone.now(), body=body)
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify(body, headers) == json.loads(body)
    with pytest.raises(Exception, match="signature"):
        Webhook(secret).verify(body + b" ", headers)
    with pytest.raises(Exception, match="signature"):
        Webhook(secret_new()).verify(body, headers)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "::1",
        "10.1.2.3",
        "192.168.0.10",
        "172.16.5.5",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "::ffff:127.0.0.1",
        "100.64.0.1",
        "fe80::1",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert address_refused(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address):
    assert not address_refused(address)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://10.0.0.5/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://localhost/hook",
    ],
)
def test_urls_reaching_private_addresses_are_refused(url):
    with pytest.raises(UnsafeAddress, match="private, local or reserved"):
        target_resolve(url)


def test_plain_http_is_refused_unless_private_addresses_are_allowed(settings):
    with pytest.raises(UnsafeAddress, match="https://"):
        target_resolve("http://93.184.216.34/hook")
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    assert target_resolve("http://127.0.0.1:8080/hook?x=1").path == "/hook?x=1"


def test_a_public_host_resolves_to_the_address_connected_to(monkeypatch):
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, **kw: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))],
    )
    target = target_resolve("https://hooks.example.com/in")
    assert (target.host, target.port, target.address, target.path) == ("hooks.example.com", 443, "93.184.216.34", "/in")


def test_a_host_with_any_private_answer_is_refused(monkeypatch):
    answers = [("93.184.216.34", 443), ("10.0.0.1", 443)]
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, **kw: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", a) for a in answers],
    )
    with pytest.raises(UnsafeAddress):
        target_resolve("https://rebinding.example.com/in")


def test_retry_schedule_follows_standard_webhooks():
    assert [delivery.retry_delay(n).total_seconds() for n in range(1, 8)] == [5, 300, 1800, 7200, 18000, 36000, 36000]
    assert delivery.retry_delay(8) is None


@pytest.mark.django_db
def test_publish_reaches_only_the_vendors_subscribed_enabled_endpoints(django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(delivery, "request_send", lambda **kw: delivery.Outcome(status_code=204))
    vendor, other = VendorFactory(), VendorFactory()
    mine = _endpoint(vendor)
    _endpoint(vendor, events=["delivery_right.changed"])
    off = _endpoint(vendor)
    endpoints.endpoint_enable(endpoint=off, enabled=False)
    theirs = _endpoint(other)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.webhook_publish(vendor_id=vendor.pk, event_type="certificate.issued", data={"serial": "X"})
    [message] = WebhookMessage.objects.all()
    assert message.endpoint == mine and message.status == Status.DELIVERED
    body = json.loads(message.payload)
    assert body["type"] == "certificate.issued" and body["data"] == {"serial": "X"} and "timestamp" in body
    assert not theirs.messages.exists()


@pytest.mark.django_db
def test_nothing_is_published_before_commit_or_after_a_rollback(django_capture_on_commit_callbacks):
    vendor = VendorFactory()
    _endpoint(vendor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publishing.webhook_publish(vendor_id=vendor.pk, event_type="certificate.issued", data={})
    assert len(callbacks) == 1 and not WebhookMessage.objects.exists()


@pytest.mark.django_db
def test_a_delivered_message_is_never_sent_again_and_a_claimed_one_only_once(monkeypatch):
    sent = []
    monkeypatch.setattr(delivery, "request_send", lambda **kw: sent.append(kw["message_id"]) or delivery.Outcome(200))
    endpoint = _endpoint(VendorFactory())
    now = timezone.now()
    message = WebhookMessage.objects.create(endpoint=endpoint, event_type="x", payload="{}", next_attempt_at=now)
    assert delivery.message_claim(message_id=message.pk, now=now) is not None
    assert delivery.message_claim(message_id=message.pk, now=now) is None  # a second worker gets nothing
    assert delivery.message_deliver(message_id=message.pk, now=now) is None
    # The first worker died: once its claim runs out the message is sent, under its own id.
    later = now + timedelta(minutes=5)
    assert delivery.message_deliver(message_id=message.pk, now=later).succeeded
    assert delivery.message_deliver(message_id=message.pk, now=later + timedelta(hours=1)) is None
    assert sent == [message.uid]
    message.refresh_from_db()
    assert message.status == Status.DELIVERED and message.attempts.count() == 1


@pytest.mark.django_db
def test_failures_follow_the_schedule_then_a_day_disables_the_endpoint_and_emails_its_people(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(delivery, "request_send", lambda **kw: delivery.Outcome(status_code=503, body="down"))
    vendor = VendorFactory()
    owner = UserFactory(email="owner@example.com")
    endpoint = _endpoint(vendor, user=owner)
    start = timezone.now()
    message = WebhookMessage.objects.create(endpoint=endpoint, event_type="x", payload="{}", next_attempt_at=start)
    at, seen = start, []
    for _ in range(7):
        delivery.message_deliver(message_id=message.pk, now=at)
        message.refresh_from_db()
        seen.append((message.next_attempt_at - at).total_seconds() if message.next_attempt_at else None)
        endpoint.refresh_from_db()
        if not endpoint.enabled:
            break
        at = message.next_attempt_at
    assert seen == [5, 300, 1800, 7200, 18000, 36000, 36000]
    assert endpoint.enabled  # 17.6 hours of failures
    with django_capture_on_commit_callbacks(execute=True):
        delivery.message_deliver(message_id=message.pk, now=message.next_attempt_at)
    endpoint.refresh_from_db()
    message.refresh_from_db()
    assert not endpoint.enabled and endpoint.disabled_at is not None
    assert message.status == Status.FAILED and message.attempts.count() == 8
    attempt = message.attempts.first()
    assert attempt.status_code == 503 and attempt.response_body == "down" and not attempt.succeeded
    [email] = mail.outbox
    assert email.to == ["owner@example.com"] and endpoint.url in email.subject
    assert f"/admin/webhooks/{endpoint.pk}/" in email.body


@pytest.mark.django_db
def test_a_success_clears_the_failing_streak(monkeypatch):
    outcomes = [delivery.Outcome(status_code=500), delivery.Outcome(status_code=200)]
    monkeypatch.setattr(delivery, "request_send", lambda **kw: outcomes.pop(0))
    endpoint = _endpoint(VendorFactory())
    now = timezone.now()
    message = WebhookMessage.objects.create(endpoint=endpoint, event_type="x", payload="{}", next_attempt_at=now)
    delivery.message_deliver(message_id=message.pk, now=now)
    endpoint.refresh_from_db()
    assert endpoint.failing_since == now
    delivery.message_deliver(message_id=message.pk, now=now + timedelta(seconds=5))
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None and endpoint.enabled


@pytest.mark.django_db
def test_delivery_refuses_an_address_that_turned_private(monkeypatch):
    endpoint = _endpoint(VendorFactory(), url="https://hooks.example.com/in")
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, **kw: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))],
    )
    outcome = delivery.request_send(endpoint=endpoint, message_id="msg_x", body=b"{}")
    assert outcome.status_code is None and "private" in outcome.error


@pytest.mark.django_db
def test_a_real_receiver_verifies_each_attempt_and_a_retry_keeps_the_webhook_id(loopback):
    vendor = VendorFactory()
    with Receiver(statuses=[500, 200]) as receiver:
        endpoint = _endpoint(vendor, url=receiver.url)
        receiver.secret = endpoint.secret
        now = timezone.now()
        [message] = publishing.messages_queue(
            endpoints=[endpoint], event_type="certificate.issued", payload='{"type":"certificate.issued"}', at=now
        )
        message.refresh_from_db()
        assert message.status == Status.PENDING and message.attempts_made == 1
        assert delivery.messages_due(now=message.next_attempt_at) == [message.pk]
        delivery.message_deliver(message_id=message.pk, now=message.next_attempt_at)
    assert [(r.webhook_id, r.status, r.verified) for r in receiver.received] == [
        (message.uid, 500, True),
        (message.uid, 200, True),
    ]
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
    assert list(message.attempts.order_by("at").values_list("status_code", "succeeded")) == [(500, False), (200, True)]


@pytest.mark.django_db
def test_redirects_are_not_followed(loopback):
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(307)
            self.send_header("Location", "http://169.254.169.254/")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.handle_request, daemon=True).start()
    endpoint = _endpoint(VendorFactory(), url=f"http://127.0.0.1:{server.server_address[1]}/")
    outcome = delivery.request_send(endpoint=endpoint, message_id="msg_r", body=b"{}")
    server.server_close()
    assert outcome.status_code == 307 and not outcome.succeeded


@pytest.mark.django_db
def test_replay_sends_again_under_the_same_webhook_id(loopback, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        endpoint = _endpoint(VendorFactory(), url=receiver.url)
        receiver.secret = endpoint.secret
        [message] = publishing.messages_queue(endpoints=[endpoint], event_type="x", payload="{}", at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            endpoints.message_replay(message=message)
    assert [r.webhook_id for r in receiver.received] == [message.uid, message.uid]
    assert WebhookAttempt.objects.filter(message=message, succeeded=True).count() == 2
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).enabled
