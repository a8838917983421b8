"""Reads of the registration pages: a partner's own registrations and a vendor's, each in a
fixed number of queries whatever the number of rows, each scoped to the one party that may read
it (another party's registration is simply not found)."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from certifications.models import OrganisationDeliveryRight
from community.models import PartnerOrganisation, Product
from partners.event_text import event_sentence
from partners.models import MarketplaceEvent, Opportunity, OpportunityConflict
from partners.selectors_marketplace import TimelineStep

_conflicts = OpportunityConflict.objects.select_related("winner").order_by("found_at", "pk")


def _shaped(opportunities: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return opportunities.select_related("vendor", "customer", "organisation").prefetch_related(
        "products",
        Prefetch("conflicts_as_first", queryset=_conflicts),
        Prefetch("conflicts_as_second", queryset=_conflicts),
    )


def partner_opportunities(*, organisation: PartnerOrganisation) -> QuerySet[Opportunity]:
    """The partner's own registrations, newest first, with products and conflict outcomes."""
    return _shaped(Opportunity.objects.filter(organisation=organisation)).order_by("-registered_at", "-pk")


def products_held(*, organisation: PartnerOrganisation) -> QuerySet[Product]:
    """What the partner may register: products it holds a right to, active or in grace."""
    held = OrganisationDeliveryRight.objects.holding().filter(organisation=organisation).values("product_id")
    return Product.objects.filter(pk__in=held).select_related("vendor").order_by("vendor__name", "name")


def vendor_opportunities(*, vendor_ids, state: str = "", region: str = "", product: str = "") -> QuerySet[Opportunity]:
    """The vendors' registrations, those to decide soonest first."""
    opportunities = Opportunity.objects.filter(vendor_id__in=vendor_ids)
    if state:
        opportunities = opportunities.filter(state=state)
    if region:
        opportunities = opportunities.filter(organisation__region=region)
    if product:
        opportunities = opportunities.filter(products__slug=product)
    return _shaped(opportunities.distinct()).order_by("decide_by", "pk")


def vendor_opportunities_by_state(*, opportunities: QuerySet[Opportunity]) -> list[tuple[str, int]]:
    """How many of `opportunities` (from `vendor_opportunities`) are in each state: one query."""
    ids = opportunities.order_by().values("pk")
    counts = dict(Opportunity.objects.filter(pk__in=ids).order_by().values_list("state").annotate(n=Count("pk")))
    return [(label, counts.get(value, 0)) for value, label in Opportunity.State.choices]


def opportunity_steps(*, opportunity: Opportunity) -> list[TimelineStep]:
    events = MarketplaceEvent.objects.filter(opportunity=opportunity).select_related("organisation")
    return [TimelineStep(at=e.at, kind=e.kind, sentence=event_sentence(e)) for e in events.order_by("at", "pk")]


@dataclass
class ConflictSide:
    """One conflict of a registration as the vendor weighs it: the other party's evidence."""

    conflict: OpportunityConflict
    other: Opportunity


def opportunity_conflicts(*, opportunity: Opportunity) -> list[ConflictSide]:
    """The registration's conflicts, oldest first, each with the other registration shaped."""
    conflicts = list(
        OpportunityConflict.objects.filter(first=opportunity).select_related("winner", "decided_by")
    ) + list(OpportunityConflict.objects.filter(second=opportunity).select_related("winner", "decided_by"))
    other_ids = {c.second_id if c.first_id == opportunity.pk else c.first_id for c in conflicts}
    others = {o.pk: o for o in _shaped(Opportunity.objects.filter(pk__in=other_ids))}
    conflicts.sort(key=lambda c: (c.found_at, c.pk))
    return [
        ConflictSide(conflict=c, other=others[c.second_id if c.first_id == opportunity.pk else c.first_id])
        for c in conflicts
    ]
