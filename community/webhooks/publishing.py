"""Publishing an event to a vendor's endpoints: once the caller's transaction commits (an event
that rolled back never reaches anyone), one message per enabled endpoint of that vendor that
subscribes to the type, then a delivery task for each."""

import json
from collections.abc import Callable
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from community.models import WebhookEndpoint, WebhookMessage


def payload_encode(*, event_type: str, at: datetime, data: dict) -> str:
    """The body the specification recommends: `type`, `timestamp` (ISO 8601) and `data`."""
    return json.dumps(
        {"type": event_type, "timestamp": at.isoformat(), "data": data},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def webhook_publish(
    *, vendor_id: int, event_type: str, data: dict | Callable[[], dict], now: datetime | None = None
) -> None:
    """Queue `event_type` with `data` for the vendor's endpoints after the transaction commits.
    `data` may be a function, called only when some endpoint listens (it may query)."""
    at = now or timezone.now()
    transaction.on_commit(lambda: messages_create(vendor_id=vendor_id, event_type=event_type, data=data, at=at))


def messages_create(
    *, vendor_id: int, event_type: str, data: dict | Callable[[], dict], at: datetime
) -> list[WebhookMessage]:
    """The messages of one event, then their delivery tasks. One query when no endpoint listens."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(vendor_id=vendor_id, enabled=True).only("pk", "event_types")
        if event_type in endpoint.event_types
    ]
    if not endpoints:
        return []
    payload = payload_encode(event_type=event_type, at=at, data=data() if callable(data) else data)
    return messages_queue(endpoints=endpoints, event_type=event_type, payload=payload, at=at)


def messages_queue(*, endpoints, event_type: str, payload: str, at: datetime) -> list[WebhookMessage]:
    from community import tasks

    made = WebhookMessage.objects.bulk_create(
        [
            WebhookMessage(endpoint=endpoint, event_type=event_type, payload=payload, created_at=at, next_attempt_at=at)
            for endpoint in endpoints
        ]
    )
    for message in made:
        tasks.webhook_message_deliver.delay(message_id=message.pk)
    return made
