"""Reads of the marketplace pages: the customer's timeline, a partner's leads and engagements,
a vendor's requests and survey answers. Each runs a fixed number of queries whatever the number
of rows, and each is scoped to the one party that may read it."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Avg, Count, Prefetch, Q, QuerySet

from community.models import PartnerOrganisation, Product, Region
from partners.event_text import event_sentence
from partners.models import (
    CustomerRequest,
    DeclineReason,
    Engagement,
    EngagementPartner,
    MarketplaceEvent,
    Offer,
    SatisfactionResponse,
)

# What the customer's timeline shows: their own steps and partners' answers, never a
# partner's internal notices (reminders) or the other partners' notices of withdrawal.
CUSTOMER_EVENTS = (
    MarketplaceEvent.Kind.REQUEST_CREATED,
    MarketplaceEvent.Kind.REQUEST_CONFIRMED,
    MarketplaceEvent.Kind.REQUEST_TO_VENDOR,
    MarketplaceEvent.Kind.REQUEST_TO_OWNER,
    MarketplaceEvent.Kind.REQUEST_UNMATCHED,
    MarketplaceEvent.Kind.OFFERED,
    MarketplaceEvent.Kind.ACCEPTED,
    MarketplaceEvent.Kind.DECLINED,
    MarketplaceEvent.Kind.EXPIRED,
    MarketplaceEvent.Kind.DELIVERED,
    MarketplaceEvent.Kind.TEAM_JOINED,
    MarketplaceEvent.Kind.SURVEY_ANSWERED,
)


@dataclass
class TimelineStep:
    at: object
    kind: str
    sentence: str


@dataclass
class RequestTimeline:
    request: CustomerRequest
    products: list
    offers: list[Offer]
    steps: list[TimelineStep]
    team: list[EngagementPartner]


def request_timeline(*, request_id: int) -> RequestTimeline | None:
    """The customer's view of their request: every offer with its answer, and every step."""
    request = CustomerRequest.objects.select_related("vendor", "named_account").filter(pk=request_id).first()
    if request is None:
        return None
    events = MarketplaceEvent.objects.filter(request=request, kind__in=CUSTOMER_EVENTS).select_related("organisation")
    return RequestTimeline(
        request=request,
        products=list(request.products.order_by("name")),
        offers=list(request.offers.select_related("organisation").order_by("offered_at", "pk")),
        steps=[TimelineStep(at=e.at, kind=e.kind, sentence=event_sentence(e)) for e in events.order_by("at", "pk")],
        team=list(
            EngagementPartner.objects.filter(engagement__request=request, state=EngagementPartner.State.ACCEPTED)
            .select_related("organisation")
            .order_by("answered_at", "pk")
        ),
    )


def partner_offers(*, organisation: PartnerOrganisation) -> QuerySet[Offer]:
    """The partner's own offers, newest first, with their requests and products."""
    return (
        Offer.objects.filter(organisation=organisation)
        .select_related("request__vendor")
        .prefetch_related(Prefetch("request__products"))
        .order_by("-offered_at", "-pk")
    )


def vendor_requests(*, vendor_ids, state: str = "", region: str = "", product: str = "") -> QuerySet[CustomerRequest]:
    """The vendors' requests, newest first, filtered, with products, named account and every
    offer (its partner and answer) prefetched: the routing outcome of each."""
    requests = CustomerRequest.objects.filter(vendor_id__in=vendor_ids)
    if state:
        requests = requests.filter(state=state)
    if region:
        requests = requests.filter(region=region)
    if product:
        requests = requests.filter(products__slug=product)
    return (
        requests.select_related("vendor", "named_account")
        .prefetch_related(
            Prefetch("products", queryset=Product.objects.order_by("name")),
            Prefetch("offers", queryset=Offer.objects.select_related("organisation").order_by("offered_at", "pk")),
        )
        .order_by("-created_at", "-pk")
    )


@dataclass
class VendorSummary:
    """Figures over a filtered list of requests: how many in each state, how partners answered
    the offers and how fast (offered to answered, for offers answered by a partner), and why
    they declined."""

    requests: int
    by_state: list[tuple[str, int]]
    offers: int
    by_offer_state: list[tuple[str, int]]
    answered: int
    accepted: int
    median_answer: timedelta | None
    mean_answer: timedelta | None
    decline_reasons: list[tuple[str, int]]

    @property
    def accept_rate(self) -> float | None:
        return self.accepted / self.answered if self.answered else None


def vendor_request_summary(*, requests: QuerySet[CustomerRequest]) -> VendorSummary:
    """Four queries whatever the number of requests (`requests` from `vendor_requests`)."""
    ids = requests.order_by().values("pk")
    states = dict(requests.order_by().values_list("state").annotate(n=Count("pk", distinct=True)))
    offers = Offer.objects.filter(request__in=ids)
    offer_states = dict(offers.order_by().values_list("state").annotate(n=Count("pk")))
    answered = Offer.State.ACCEPTED, Offer.State.DECLINED
    waits = sorted(
        responded - offered
        for offered, responded in offers.filter(state__in=answered, responded_at__isnull=False).values_list(
            "offered_at", "responded_at"
        )
    )
    reasons = dict(
        offers.filter(state=Offer.State.DECLINED).order_by().values_list("decline_reason").annotate(n=Count("pk"))
    )
    return VendorSummary(
        requests=sum(states.values()),
        by_state=[(label, states.get(value, 0)) for value, label in CustomerRequest.State.choices],
        offers=sum(offer_states.values()),
        by_offer_state=[(label, offer_states.get(value, 0)) for value, label in Offer.State.choices],
        answered=len(waits),
        accepted=offer_states.get(Offer.State.ACCEPTED, 0),
        median_answer=_median(waits),
        mean_answer=sum(waits, timedelta()) / len(waits) if waits else None,
        decline_reasons=sorted(
            ((label, reasons[value]) for value, label in DeclineReason.choices if reasons.get(value)),
            key=lambda pair: -pair[1],
        ),
    )


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


@dataclass
class VendorRequest:
    request: CustomerRequest
    products: list
    offers: list[Offer]
    steps: list[TimelineStep]


def vendor_request(*, vendor_ids, request_id: int) -> VendorRequest | None:
    """One of the vendors' requests with every offer and every step (the partners' reminders
    and withdrawals too), or None when it is not theirs."""
    request = (
        CustomerRequest.objects.filter(vendor_id__in=vendor_ids, pk=request_id)
        .select_related("vendor", "named_account", "protected_by__organisation")
        .first()
    )
    if request is None:
        return None
    events = MarketplaceEvent.objects.filter(request=request).select_related("organisation").order_by("at", "pk")
    return VendorRequest(
        request=request,
        products=list(request.products.order_by("name")),
        offers=list(request.offers.select_related("organisation", "responded_by").order_by("offered_at", "pk")),
        steps=[TimelineStep(at=e.at, kind=e.kind, sentence=event_sentence(e)) for e in events],
    )


def partner_engagements(*, organisation: PartnerOrganisation) -> QuerySet[Engagement]:
    """The partner's own engagements, newest first, with their products and survey answer."""
    return (
        Engagement.objects.filter(organisation=organisation)
        .select_related("vendor", "response")
        .prefetch_related("products")
        .order_by("-started_at", "-pk")
    )


def vendor_responses(*, vendor_ids, region: str = "", product: str = "") -> QuerySet[SatisfactionResponse]:
    """Survey answers on the vendors' engagements, newest first, with who hid a comment; `region`
    is the partner's, `product` a product slug of the engagement."""
    responses = SatisfactionResponse.objects.filter(engagement__vendor_id__in=vendor_ids)
    if region:
        responses = responses.filter(organisation__region=region)
    if product:
        responses = responses.filter(engagement__products__slug=product)
    return (
        responses.distinct()
        .select_related("engagement__vendor", "organisation", "hidden_by")
        .prefetch_related("engagement__products")
        .order_by("-answered_at", "-pk")
    )


PROMOTER, DETRACTOR = 9, 6  # would-recommend 9–10 promotes, 0–6 detracts (Net Promoter Score)


@dataclass
class SatisfactionRow:
    """Survey answers of one region or product: hidden comments count, like in trust profiles."""

    label: str
    responses: int
    satisfaction: float
    promoters: int
    detractors: int

    @property
    def net_promoter(self) -> int:
        return round(100 * (self.promoters - self.detractors) / self.responses)


def satisfaction_summary(*, responses: QuerySet[SatisfactionResponse]) -> dict[str, list[SatisfactionRow]]:
    """`responses` (from `vendor_responses`) by partner's region and by product: two queries. An
    engagement of two products counts under each."""
    chosen = SatisfactionResponse.objects.filter(pk__in=responses.order_by().values("pk")).order_by()
    figures = {
        "n": Count("pk", distinct=True),
        "mean": Avg("satisfaction"),
        "promoters": Count("pk", filter=Q(recommend__gte=PROMOTER), distinct=True),
        "detractors": Count("pk", filter=Q(recommend__lte=DETRACTOR), distinct=True),
    }
    regions = dict(Region.choices)

    def rows(values, label) -> list[SatisfactionRow]:
        return sorted(
            (
                SatisfactionRow(
                    label=label(v),
                    responses=v["n"],
                    satisfaction=v["mean"],
                    promoters=v["promoters"],
                    detractors=v["detractors"],
                )
                for v in values
            ),
            key=lambda row: (-row.responses, row.label),
        )

    return {
        "regions": rows(
            chosen.values("organisation__region").annotate(**figures),
            lambda v: str(regions.get(v["organisation__region"], v["organisation__region"])),
        ),
        "products": rows(
            chosen.filter(engagement__products__isnull=False).values("engagement__products__name").annotate(**figures),
            lambda v: v["engagement__products__name"],
        ),
    }
