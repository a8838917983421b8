"""The marketplace's part of the benchmark dataset: customers' requests routed to partners that
hold the rights, their offers and answers, engagements delivered and rated; and three partner
tiers per vendor, every organisation's tier computed once. Sizes at scale 1: 20,000 requests with
about 50,000 offers, 12,000 engagements and 6,000 survey answers. Built with bulk inserts; no
marketplace audit events (no measured page reads them)."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from certifications.models import OrganisationDeliveryRight
from community.dataset import bulk, scaled
from community.models import Vendor
from partners import tiers
from partners.models import CustomerRequest, Engagement, Offer, PartnerTier, SatisfactionResponse

SIZES = ["1-49", "50-249", "250-999", "1000+"]
# (name, rank, products, certified engineers, engagements delivered, satisfaction)
TIERS = [
    ("Registered", 1, 1, 0, 0, None),
    ("Silver", 2, 1, 5, 2, None),
    ("Gold", 3, 2, 15, 8, Decimal("4.0")),
]


def _tiers() -> int:
    """Every vendor's three tiers (bulk, no audit), then every organisation's tier, computed once
    as the daily sweep would. Returns the organisations' tiers written."""
    PartnerTier.objects.bulk_create(
        [
            PartnerTier(
                vendor_id=vendor_id,
                name=name,
                slug=name.lower(),
                rank=rank,
                min_products=products,
                min_certified=certified,
                min_delivered=delivered,
                min_satisfaction=satisfaction,
                grace_days=60,
            )
            for vendor_id in Vendor.objects.values_list("pk", flat=True)
            for name, rank, products, certified, delivered, satisfaction in TIERS
        ]
    )
    return len(tiers.tiers_recompute_all(cause=tiers.Cause.SWEEP))


def generate(*, scale: float, rng: random.Random, stdout) -> dict:
    now = timezone.now()
    holders: dict[tuple[int, str, int], list[int]] = {}
    rights = OrganisationDeliveryRight.objects.holding().values_list(
        "product_id", "product__vendor_id", "organisation__region", "organisation_id"
    )
    for product_id, vendor_id, region, organisation_id in rights:
        holders.setdefault((product_id, region, vendor_id), []).append(organisation_id)
    if not holders:
        return {"counts": {"organisations' tiers": _tiers()}}
    markets = sorted(holders)
    requests, plans = [], []
    for i in range(scaled(20_000, scale, minimum=20)):
        product_id, region, vendor_id = rng.choice(markets)
        asked = now - timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 1440))
        requests.append(
            CustomerRequest(
                vendor_id=vendor_id,
                region=region,
                company=f"Customer {i + 1}",
                company_size=rng.choice(SIZES),
                contact_name=f"Contact {i + 1}",
                email=f"buyer{i + 1}@customer{i + 1}.example",
                need="Generated request.",
                state=CustomerRequest.State.ROUTING,
                created_at=asked,
                confirmed_at=asked + timedelta(minutes=10),
            )
        )
        plans.append(
            (
                product_id,
                rng.sample(
                    holders[(product_id, region, vendor_id)], min(3, len(holders[(product_id, region, vendor_id)]))
                ),
            )
        )
    bulk(CustomerRequest, requests)
    CustomerRequest.products.through.objects.bulk_create(
        [
            CustomerRequest.products.through(customerrequest_id=r.pk, product_id=p)
            for r, (p, _o) in zip(requests, plans, strict=True)
        ]
    )
    offers, engagements, accepted_requests = [], [], []
    for request, (_product, partners) in zip(requests, plans, strict=True):
        offered = request.confirmed_at
        winner = partners[0] if rng.random() < 0.6 else None
        for organisation_id in partners:
            state = Offer.State.DECLINED if winner is None else Offer.State.WITHDRAWN
            if organisation_id == winner:
                state = Offer.State.ACCEPTED
            offers.append(
                Offer(
                    request=request,
                    organisation_id=organisation_id,
                    state=state,
                    offered_at=offered,
                    respond_by=offered + timedelta(hours=48),
                    responded_at=offered + timedelta(hours=rng.randint(1, 47)),
                    decline_reason="capacity" if state == Offer.State.DECLINED else "",
                )
            )
        if winner is not None:
            request.state = CustomerRequest.State.ACCEPTED
            accepted_requests.append(request)
            delivered = offered + timedelta(days=rng.randint(10, 90))
            engagements.append(
                Engagement(
                    organisation_id=winner,
                    vendor_id=request.vendor_id,
                    request=request,
                    customer_company=request.company,
                    contact_name=request.contact_name,
                    contact_email=request.email,
                    started_at=offered,
                    delivered_at=delivered if delivered < now and rng.random() < 0.8 else None,
                )
            )
        else:
            request.state = CustomerRequest.State.UNMATCHED
    CustomerRequest.objects.bulk_update(requests, ["state"], batch_size=1000)
    bulk(Offer, offers)
    bulk(Engagement, engagements)
    responses = [
        SatisfactionResponse(
            engagement=e,
            organisation_id=e.organisation_id,
            satisfaction=rng.choice([3, 4, 4, 5, 5]),
            recommend=rng.randint(5, 10),
            answered_at=e.delivered_at + timedelta(days=2),
        )
        for e in engagements
        if e.delivered_at and rng.random() < 0.6
    ]
    bulk(SatisfactionResponse, responses)
    busiest = (
        Offer.objects.values("organisation_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("n", flat=True)
        .first()
    )
    return {
        "counts": {
            "customer requests": len(requests),
            "offers": len(offers),
            "engagements": len(engagements),
            "survey answers": len(responses),
            "organisations' tiers": _tiers(),
        },
        "notes": [f"The busiest partner has {busiest:,} offers."],
    }
