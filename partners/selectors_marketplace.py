"""Reads of the marketplace pages: the customer's timeline, a partner's leads and a vendor's
requests. Each runs a fixed number of queries whatever the number of rows, and each is scoped
to the one party that may read it."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from community.models import PartnerOrganisation
from partners.event_text import event_sentence
from partners.models import CustomerRequest, EngagementPartner, MarketplaceEvent, Offer

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
    requests = CustomerRequest.objects.filter(vendor_id__in=vendor_ids)
    if state:
        requests = requests.filter(state=state)
    if region:
        requests = requests.filter(region=region)
    if product:
        requests = requests.filter(products__slug=product)
    return (
        requests.select_related("vendor", "named_account")
        .prefetch_related("products", Prefetch("offers", queryset=Offer.objects.select_related("organisation")))
        .order_by("-created_at", "-pk")
    )
