"""What vendor staff do to their endpoints: register one (its secret made and returned once),
change it, rotate its secret, disable or enable it, send it a test event, and replay a message
(a new attempt under the same `webhook-id`)."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community.emails import templated_email
from community.models import User, Vendor, WebhookEndpoint, WebhookMessage
from community.webhooks.events import TEST_EVENT
from community.webhooks.publishing import messages_queue, payload_encode
from community.webhooks.signing import secret_new


def endpoint_create(
    *, vendor: Vendor, url: str, description: str, event_types: list[str], enabled: bool, user: User
) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        vendor=vendor,
        url=url,
        description=description,
        event_types=sorted(event_types),
        enabled=enabled,
        disabled_at=None if enabled else timezone.now(),
        secret=secret_new(),
        created_by=user,
    )


def endpoint_update(*, endpoint: WebhookEndpoint, url: str, description: str, event_types: list[str]) -> None:
    endpoint.url, endpoint.description, endpoint.event_types = url, description, sorted(event_types)
    endpoint.save(update_fields=["url", "description", "event_types"])


def endpoint_secret_rotate(*, endpoint: WebhookEndpoint) -> str:
    """A new secret, signing every attempt from now on (retries of older messages too)."""
    endpoint.secret = secret_new()
    endpoint.save(update_fields=["secret"])
    return endpoint.secret


def endpoint_enable(*, endpoint: WebhookEndpoint, enabled: bool) -> None:
    """Enabling forgets the failing streak, so a day of new failures is needed to disable it again;
    waiting messages are then sent by the next sweep."""
    endpoint.enabled = enabled
    endpoint.disabled_at = None if enabled else timezone.now()
    if enabled:
        endpoint.failing_since = None
    endpoint.save(update_fields=["enabled", "disabled_at", "failing_since"])


def endpoint_test_send(*, endpoint: WebhookEndpoint, user: User) -> WebhookMessage:
    """A `webhook.test` message to this endpoint only, delivered like any other."""
    at = timezone.now()
    data = {"endpoint_id": endpoint.pk, "vendor": endpoint.vendor.slug}
    payload = payload_encode(event_type=TEST_EVENT, at=at, data=data)
    with transaction.atomic():
        [message] = messages_queue(endpoints=[endpoint], event_type=TEST_EVENT, payload=payload, at=at)
    return message


def message_replay(*, message: WebhookMessage) -> None:
    """Send the message again from the start of the schedule, under its own `webhook-id`. A message
    being sent right now is left to that attempt."""
    from community import tasks

    now = timezone.now()
    replayed = (
        WebhookMessage.objects.filter(pk=message.pk)
        .exclude(status=WebhookMessage.Status.SENDING, claimed_until__gte=now)
        .update(status=WebhookMessage.Status.PENDING, attempts_made=0, next_attempt_at=now, claimed_until=None)
    )
    if replayed:
        transaction.on_commit(lambda: tasks.webhook_message_deliver.delay(message_id=message.pk))


def endpoint_people(endpoint: WebhookEndpoint) -> list[User]:
    """Who hears about the endpoint: whoever registered it and the vendor's programme managers."""
    people = {
        user.pk: user for user in User.objects.filter(groups__vendor_managers_of=endpoint.vendor_id, is_active=True)
    }
    if endpoint.created_by is not None and endpoint.created_by.is_active:
        people[endpoint.created_by.pk] = endpoint.created_by
    return list(people.values())


def endpoint_disabled_email(*, endpoint_id: int) -> int:
    """Tell the endpoint's people it was disabled; how many were told."""
    endpoint = WebhookEndpoint.objects.select_related("vendor", "created_by").filter(pk=endpoint_id).first()
    if endpoint is None or endpoint.enabled:
        return 0
    url = settings.SITE_URL + reverse("webhooks_admin:detail", kwargs={"endpoint_id": endpoint.pk})
    people = endpoint_people(endpoint)
    for user in people:
        context = {"endpoint": endpoint, "admin_url": url, "user": user}
        templated_email(
            "community/email/webhook_disabled", context, to=user.email, language=user.preferred_language
        ).send()
    return len(people)
