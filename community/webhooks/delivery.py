"""Delivering a message: claim it, sign and send it once, log the attempt, then mark it delivered
or schedule the next attempt on the Standard Webhooks (Svix) schedule.

A message is sent by whoever claims it, and claiming is a compare-and-set on its row: PENDING and
due, or SENDING with its claim run out (its worker died mid-request). So two workers never both
send it, a delivered message is never sent again, and a worker killed mid-delivery leaves the
message for the next one, under the same `webhook-id`, once its claim ends. A receiver that
answered the killed worker may see that id twice; the specification has receivers dedupe on it.

Any answer outside 2xx is a failure, and redirects are not followed. An endpoint that has failed
every attempt for a day is disabled and its people told by e-mail."""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from community.models import WebhookAttempt, WebhookEndpoint, WebhookMessage
from community.webhooks.addresses import Target, UnsafeAddress, target_resolve
from community.webhooks.signing import signed_headers

Status = WebhookMessage.Status

# Seconds to wait after the 1st, 2nd, ... failed attempt; after the last the message fails.
RETRY_DELAYS = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600]
DISABLE_AFTER = timedelta(hours=24)
RESPONSE_KEPT = 1000
USER_AGENT = "PartnerAcademy-Webhooks/1"


@dataclass
class Outcome:
    status_code: int | None = None
    error: str = ""
    body: str = ""
    duration_ms: int = 0

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def retry_delay(attempts_made: int) -> timedelta | None:
    """How long after the `attempts_made`-th failed attempt the next one is due, or None for none."""
    if attempts_made < 1 or attempts_made > len(RETRY_DELAYS):
        return None
    return timedelta(seconds=RETRY_DELAYS[attempts_made - 1])


def _in_process() -> bool:
    """Tasks run in-process (no broker): the request that published the event waits for them."""
    from community.celery import app

    return app.conf.task_always_eager


def timeout_seconds() -> float:
    """Short when tasks run in-process, since the request that published the event waits."""
    return settings.WEBHOOKS_EAGER_TIMEOUT_SECONDS if _in_process() else settings.WEBHOOKS_TIMEOUT_SECONDS


def _claimable(now: datetime) -> Q:
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(status=Status.SENDING, claimed_until__lt=now)


def message_claim(*, message_id: int, now: datetime) -> datetime | None:
    """Take the message for one attempt; the claim's end, or None when it is not ours to send."""
    claimed_until = now + timedelta(seconds=timeout_seconds() * 2 + 30)
    taken = WebhookMessage.objects.filter(_claimable(now), pk=message_id, endpoint__enabled=True).update(
        status=Status.SENDING, claimed_until=claimed_until
    )
    return claimed_until if taken else None


def message_deliver(*, message_id: int, now: datetime | None = None) -> Outcome | None:
    """One attempt at the message, if it is due and nobody else holds it; the outcome, or None."""
    now = now or timezone.now()
    claimed_until = message_claim(message_id=message_id, now=now)
    if claimed_until is None:
        return None
    message = WebhookMessage.objects.select_related("endpoint").get(pk=message_id)
    outcome = request_send(endpoint=message.endpoint, message_id=message.uid, body=message.payload.encode())
    attempt_record(message=message, outcome=outcome, at=now, claimed_until=claimed_until)
    return outcome


def request_send(*, endpoint: WebhookEndpoint, message_id: str, body: bytes) -> Outcome:
    """POST the body, signed, to the endpoint's checked address; what came back."""
    started = time.monotonic()
    try:
        target = target_resolve(endpoint.url)
    except UnsafeAddress as error:
        return Outcome(error=str(error)[:300])
    headers = {
        **signed_headers(secret=endpoint.secret, message_id=message_id, at=timezone.now(), body=body),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
    connection = _connection(target, timeout_seconds())
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(RESPONSE_KEPT).decode("utf-8", "replace")
        outcome = Outcome(status_code=response.status, body=text)
    except (OSError, http.client.HTTPException) as error:
        outcome = Outcome(error=(f"{type(error).__name__}: {error}")[:300])
    finally:
        connection.close()
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    return outcome


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address the guard checked, not to a fresh look-up of the host."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self.address = target.address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    return kind(target, timeout)


def attempt_record(*, message: WebhookMessage, outcome: Outcome, at: datetime, claimed_until: datetime) -> None:
    """Log the attempt and settle the message, unless another worker has claimed it since."""
    from community import tasks

    attempts = message.attempts_made + 1
    if outcome.succeeded:
        fields = {"status": Status.DELIVERED, "delivered_at": timezone.now(), "next_attempt_at": None}
        delay = None
    else:
        delay = retry_delay(attempts)
        fields = {
            "status": Status.FAILED if delay is None else Status.PENDING,
            "next_attempt_at": None if delay is None else at + delay,
        }
    with transaction.atomic():
        WebhookAttempt.objects.create(
            message=message,
            at=at,
            status_code=outcome.status_code,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
            response_body=outcome.body[:RESPONSE_KEPT],
            succeeded=outcome.succeeded,
        )
        WebhookMessage.objects.filter(pk=message.pk, status=Status.SENDING, claimed_until=claimed_until).update(
            attempts_made=attempts, claimed_until=None, **fields
        )
        endpoint_health_record(endpoint=message.endpoint, succeeded=outcome.succeeded, at=at)
    # Near retries go straight to the broker; later ones wait for the sweep (`messages_due`), so
    # no task sits for hours in a worker's memory. In-process runs would not wait at all.
    if delay is not None and delay <= timedelta(minutes=5) and not _in_process():
        transaction.on_commit(
            lambda: tasks.webhook_message_deliver.apply_async(
                kwargs={"message_id": message.pk}, countdown=delay.total_seconds()
            )
        )


def endpoint_health_record(*, endpoint: WebhookEndpoint, succeeded: bool, at: datetime) -> None:
    """A success clears the endpoint's failing streak; a failure a day into one disables it."""
    if succeeded:
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=False).update(failing_since=None)
        return
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(failing_since=at)
    disabled = WebhookEndpoint.objects.filter(
        pk=endpoint.pk, enabled=True, failing_since__lte=at - DISABLE_AFTER
    ).update(enabled=False, disabled_at=at)
    if disabled:
        from community import tasks

        transaction.on_commit(lambda: tasks.webhook_endpoint_disabled_email.delay(endpoint_id=endpoint.pk))


def messages_due(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Messages whose attempt is due (or whose worker died mid-request), of enabled endpoints."""
    now = now or timezone.now()
    return list(
        WebhookMessage.objects.filter(_claimable(now), endpoint__enabled=True)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
