"""Signed webhooks for vendors, after the Standard Webhooks specification: vendor staff register
HTTPS endpoints for event types (`events`); apps above publish their events with
`publishing.webhook_publish`; each becomes a durable message per subscribed endpoint once the
transaction commits, delivered by a Celery task (`delivery`) with retries, signed (`signing`) and
sent only to public addresses (`addresses`)."""
