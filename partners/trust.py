"""A partner's trust profile: how it is doing, in figures each computed in one stated way.
Read for many partners at once in a fixed number of queries (directory cards, partner pages,
the API). The satisfaction score counts only from `SCORE_MIN_RESPONSES` answers within
`SCORE_WINDOW_DAYS` (partners.trust_rules); hidden comments still count in the score."""

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Avg, Count, FloatField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from partners.models import Engagement, Offer, SatisfactionResponse
from partners.trust_facts import facts_for
from partners.trust_rules import SCORE_MIN_RESPONSES, SCORE_WINDOW_DAYS


@dataclass
class TrustProfile:
    responses: int = 0
    score: float | None = None  # average satisfaction 1-5, None below the threshold
    recommend: float | None = None  # average "would recommend" 0-10, with the score
    delivered: int = 0
    median_accept_hours: float | None = None
    accepted_answers: int | None = None  # None when the forums are not installed
    years: int = 0
    comments: list = field(default_factory=list)


def _window(now: datetime) -> datetime:
    return now - timedelta(days=SCORE_WINDOW_DAYS)


def trust_profiles(organisations, *, now: datetime | None = None, comments: int = 0) -> dict[int, TrustProfile]:
    """The profile of each organisation, by id; with `comments`, each one's latest visible
    comments (with the partner's replies), up to that many."""
    now = now or timezone.now()
    organisations = list(organisations)
    ids = [o.pk for o in organisations]
    profiles = {o.pk: TrustProfile(years=max(0, (now - o.created_at).days // 365)) for o in organisations}
    if not ids:
        return profiles
    recent = SatisfactionResponse.objects.filter(organisation_id__in=ids, answered_at__gte=_window(now))
    for row in recent.values("organisation_id").annotate(n=Count("pk"), s=Avg("satisfaction"), r=Avg("recommend")):
        profile = profiles[row["organisation_id"]]
        profile.responses = row["n"]
        if row["n"] >= SCORE_MIN_RESPONSES:
            profile.score, profile.recommend = round(row["s"], 1), round(row["r"], 1)
    delivered = Engagement.objects.filter(organisation_id__in=ids, delivered_at__isnull=False)
    for row in delivered.values("organisation_id").annotate(n=Count("pk")):
        profiles[row["organisation_id"]].delivered = row["n"]
    accepted = Offer.objects.filter(
        organisation_id__in=ids, state=Offer.State.ACCEPTED, offered_at__gte=_window(now)
    ).values_list("organisation_id", "offered_at", "responded_at")
    hours: dict[int, list[float]] = {}
    for organisation_id, offered, responded in accepted:
        hours.setdefault(organisation_id, []).append((responded - offered).total_seconds() / 3600)
    for organisation_id, values in hours.items():
        profiles[organisation_id].median_accept_hours = round(statistics.median(values), 1)
    facts = facts_for(ids)
    if "accepted_answers" in facts:
        for organisation_id, profile in profiles.items():
            profile.accepted_answers = facts["accepted_answers"].get(organisation_id, 0)
    if comments:
        shown = (
            recent.filter(hidden_at__isnull=True)
            .exclude(comment="")
            .select_related("engagement")
            .order_by("-answered_at")
        )
        for response in shown[: comments * len(ids)]:
            bucket = profiles[response.organisation_id].comments
            if len(bucket) < comments:
                bucket.append(response)
    return profiles


def score_ordering(partners: QuerySet, *, now: datetime | None = None) -> QuerySet:
    """`partners` ordered by trust: the score where it is shown (best first), then delivered
    engagements, then name."""
    now = now or timezone.now()
    recent = SatisfactionResponse.objects.filter(organisation=OuterRef("pk"), answered_at__gte=_window(now))
    grouped = recent.order_by().values("organisation_id")
    shown = grouped.annotate(n=Count("pk")).filter(n__gte=SCORE_MIN_RESPONSES).annotate(s=Avg("satisfaction"))
    delivered = (
        Engagement.objects.filter(organisation=OuterRef("pk"), delivered_at__isnull=False)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return partners.annotate(
        trust_score=Coalesce(Subquery(shown.values("s"), output_field=FloatField()), Value(0.0)),
        trust_delivered=Coalesce(Subquery(delivered), Value(0)),
    ).order_by("-trust_score", "-trust_delivered", "name", "pk")
