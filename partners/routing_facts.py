"""The facts `partners.routing` decides on, read from the database in a fixed number of queries
whatever the number of partners: who holds every product asked for in the region, whether any of
those rights is in grace, each partner's recent offers and its satisfaction score."""

from datetime import datetime, timedelta

from django.db.models import Avg, Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from certifications.models import OrganisationDeliveryRight, RightStatus
from community.models import PartnerOrganisation
from partners.models import Offer, SatisfactionResponse
from partners.routing import Candidate
from partners.trust_rules import ROUTING_WINDOW_DAYS, SCORE_MIN_RESPONSES, SCORE_WINDOW_DAYS


def _count(queryset) -> Coalesce:
    counted = queryset.order_by().values("organisation_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def candidates_for(*, product_ids: list[int], region: str, now: datetime) -> list[Candidate]:
    """Partners in `region` holding a right (active or grace) to every one of `product_ids`."""
    rights = OrganisationDeliveryRight.objects.holding().filter(organisation=OuterRef("pk"), product_id__in=product_ids)
    since = now - timedelta(days=SCORE_WINDOW_DAYS)
    responses = SatisfactionResponse.objects.filter(organisation=OuterRef("pk"), answered_at__gte=since)
    score = responses.order_by().values("organisation_id").annotate(a=Avg("satisfaction")).values("a")
    partners = (
        PartnerOrganisation.objects.filter(region=region)
        .annotate(
            held=_count(rights),
            in_grace=_count(rights.filter(status=RightStatus.GRACE)),
            recent_offers=_count(
                Offer.objects.filter(
                    organisation=OuterRef("pk"), offered_at__gte=now - timedelta(days=ROUTING_WINDOW_DAYS)
                )
            ),
            responses=_count(responses),
            score=Subquery(score),
        )
        .filter(held=len(set(product_ids)))
        .values("pk", "created_at", "in_grace", "recent_offers", "responses", "score")
    )
    return [
        Candidate(
            organisation_id=row["pk"],
            joined_at=row["created_at"],
            in_grace=row["in_grace"] > 0,
            recent_offers=row["recent_offers"],
            trust=(float(row["score"]) - 1) / 4 if row["responses"] >= SCORE_MIN_RESPONSES else 0.0,
        )
        for row in partners
    ]
