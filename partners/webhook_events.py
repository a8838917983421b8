"""The marketplace transitions a vendor's webhooks hear of (`community.webhooks`), published as
their events are recorded (`partners.events`). Payloads carry ids, slugs, states and dates: the
customer's company and contact stay in the platform, whose pages the vendor's staff read them on."""

from django.db import transaction

from community.webhooks.publishing import messages_create
from partners.models import CustomerRequest, Engagement, MarketplaceEvent, Opportunity

Kind = MarketplaceEvent.Kind

EVENT_TYPES = {
    Kind.OFFERED: "request.offered",
    Kind.ACCEPTED: "request.accepted",
    Kind.DECLINED: "request.declined",
    Kind.REGISTERED: "opportunity.registered",
    Kind.APPROVED: "opportunity.approved",
    Kind.REJECTED: "opportunity.rejected",
    Kind.DELIVERED: "engagement.delivered",
}


def _slugs(products) -> list[str]:
    return sorted(product.slug for product in products.all())


def _request_data(event: MarketplaceEvent) -> dict:
    request = CustomerRequest.objects.get(pk=event.request_id)
    return {
        "request_id": request.pk,
        "offer_id": event.detail.get("offer"),
        "partner": event.organisation.slug if event.organisation_id else None,
        "products": _slugs(request.products),
        "region": request.region,
        "state": request.state,
        "reason": event.detail.get("reason") or None,
        "at": event.at,
    }


def _opportunity_data(event: MarketplaceEvent) -> dict:
    opportunity = Opportunity.objects.select_related("organisation").get(pk=event.opportunity_id)
    return {
        "opportunity_id": opportunity.pk,
        "partner": opportunity.organisation.slug,
        "products": _slugs(opportunity.products),
        "state": opportunity.state,
        "close_date": opportunity.close_date,
        "protected_until": opportunity.protected_until,
        "conflict": bool(event.detail.get("conflict")),
        "at": event.at,
    }


def _engagement_data(event: MarketplaceEvent) -> dict:
    engagement = Engagement.objects.select_related("organisation").get(pk=event.engagement_id)
    return {
        "engagement_id": engagement.pk,
        "request_id": engagement.request_id,
        "opportunity_id": engagement.opportunity_id,
        "partner": engagement.organisation.slug,
        "products": _slugs(engagement.products),
        "delivered_at": engagement.delivered_at,
        "at": event.at,
    }


def _vendor_id(event: MarketplaceEvent) -> int:
    """The vendor, from the related row the caller passed in when it is at hand."""
    for name, model in (("request", CustomerRequest), ("opportunity", Opportunity), ("engagement", Engagement)):
        if not getattr(event, f"{name}_id"):
            continue
        if event._meta.get_field(name).is_cached(event):
            return getattr(event, name).vendor_id
        return model.objects.values_list("vendor_id", flat=True).get(pk=getattr(event, f"{name}_id"))
    raise ValueError(f"A {event.kind} event names no request, opportunity or engagement")


def marketplace_event_publish(event: MarketplaceEvent) -> None:
    """Once the transaction commits (nothing is read before): the vendor's messages of the event."""
    event_type = EVENT_TYPES.get(event.kind)
    if event_type is None:
        return
    family = event_type.split(".", 1)[0]
    build = {"request": _request_data, "opportunity": _opportunity_data, "engagement": _engagement_data}[family]
    transaction.on_commit(
        lambda: messages_create(
            vendor_id=_vendor_id(event), event_type=event_type, data=lambda: build(event), at=event.at
        )
    )
