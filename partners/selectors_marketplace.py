"""Reads of the marketplace pages: the customer's timeline, a partner's leads and engagements,
a vendor's requests and survey answers. Each runs a fixed number of queries whatever the number
of rows, and each is scoped to the one party that may read it."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Prefetch, Q, QuerySet

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
    """Three queries whatever the number of requests (`requests` from `vendor_requests`): the
    figures are aggregated in the database, and the median wait is the middle row of the
    answered offers sorted by their wait, so no offer is loaded to count it."""
    states = dict(requests.order_by().values_list("state").annotate(n=Count("pk", distinct=True)))
    offers = Offer.objects.filter(request__in=requests.order_by().values("pk"))
    answered = Q(state__in=(Offer.State.ACCEPTED, Offer.State.DECLINED), responded_at__isnull=False)
    wait = ExpressionWrapper(F("responded_at") - F("offered_at"), output_field=DurationField())
    figures = offers.aggregate(
        answered=Count("pk", filter=answered),
        mean_answer=Avg(wait, filter=answered),
        **{f"state_{value}": Count("pk", filter=Q(state=value)) for value in Offer.State.values},
        **{
            f"declined_{value}": Count("pk", filter=Q(state=Offer.State.DECLINED, decline_reason=value))
            for value in DeclineReason.values
        },
    )
    offer_states = {value: figures[f"state_{value}"] for value in Offer.State.values}
    return VendorSummary(
        requests=sum(states.values()),
        by_state=[(label, states.get(value, 0)) for value, label in CustomerRequest.State.choices],
        offers=sum(offer_states.values()),
        by_offer_state=[(label, offer_states[value]) for value, label in Offer.State.choices],
        answered=figures["answered"],
        accepted=offer_states[Offer.State.ACCEPTED],
        median_answer=_median_wait(offers.filter(answered), wait, figures["answered"]),
        mean_answer=figures["mean_answer"],
        decline_reasons=sorted(
            (
                (label, figures[f"declined_{value}"])
                for value, label in DeclineReason.choices
                if figures[f"declined_{value}"]
            ),
            key=lambda pair: -pair[1],
        ),
    )


def _median_wait(offers: QuerySet[Offer], wait, count: int) -> timedelta | None:
    """The middle wait (the mean of the two middle ones for an even count), read by offset."""
    if not count:
        return None
    middle = list(
        offers.annotate(wait=wait).order_by("wait").values_list("wait", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    return middle[0] if len(middle) == 1 else (middle[0] + middle[1]) / 2


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
