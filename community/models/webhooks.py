"""Signed webhooks for vendors (Standard Webhooks): the endpoints vendor staff register, one
message per endpoint and event (its id is the `webhook-id` receivers dedupe on, the same for every
attempt), and each attempt to deliver it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebhookEndpoint(models.Model):
    vendor = models.ForeignKey(
        "community.Vendor", on_delete=models.CASCADE, related_name="webhook_endpoints", verbose_name=_("vendor")
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # The event types it receives (community.webhooks.events.EVENT_TYPES).
    event_types = models.JSONField(_("event types"), default=list)
    enabled = models.BooleanField(_("enabled"), default=True)
    # `whsec_<base64>`: the platform signs with it, so it is kept, and shown once when made.
    secret = models.CharField(max_length=100, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The first failed attempt since the last success; a day of failures disables the endpoint.
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)

    class Meta:
        ordering = ["vendor__name", "url", "pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.url


def new_message_uid() -> str:
    return f"msg_{uuid.uuid4().hex}"


class WebhookMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    # Sent as `webhook-id` (`msg_<hex>`), the same on every attempt and replay.
    uid = models.CharField(max_length=40, unique=True, editable=False, default=new_message_uid)
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="messages")
    event_type = models.CharField(max_length=50)
    # The body as signed and sent, byte for byte on every attempt.
    payload = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts_made = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # While SENDING, the claim's end: a worker killed mid-delivery leaves the row SENDING, and
    # once this passes another may claim it again.
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_message_due"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_message_endpoint"),
        ]

    def __str__(self):
        return f"{self.uid} {self.event_type}"


class WebhookAttempt(models.Model):
    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    # The start of the receiver's answer, for the log.
    response_body = models.CharField(max_length=1000, blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.message_id} {self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"
