"""Collaboration-board topics that link to an engagement. A partner looking for help on a
customer's engagement links its board topic to it; the link names the customer, so only people
of the engagement's partners (the lead and the sub-contractors that joined) ever see it: to
everyone else the topic is an ordinary collaboration request, and no lead leaks."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse

from community.models import User
from community.selectors import membership_current
from partners.models import Engagement, EngagementPartner
from partners.offers import may_answer


def engagements_to_link(*, user: User) -> QuerySet[Engagement]:
    """Engagements `user` may link a topic to: their partner's, not yet delivered, when they may
    work its engagements (its admins and the engineers allowed to answer leads)."""
    membership = membership_current(user=user)
    if membership is None or not may_answer(user=user, organisation_id=membership.organisation_id):
        return Engagement.objects.none()
    return (
        Engagement.objects.filter(organisation_id=membership.organisation_id, delivered_at__isnull=True)
        .select_related("vendor")
        .order_by("-started_at", "-pk")
    )


@dataclass(frozen=True)
class EngagementLink:
    engagement: Engagement
    url: str  # empty when the person may not open the engagement's page


def engagement_link(*, user: User, engagement_id: int) -> EngagementLink | None:
    """The engagement as `user` may see it from a topic, or None when they are not of one of its
    partners. Four queries at most."""
    membership = membership_current(user=user)
    if membership is None:
        return None
    organisation_id = membership.organisation_id
    joined = EngagementPartner.objects.filter(organisation_id=organisation_id, state=EngagementPartner.State.ACCEPTED)
    engagement = (
        Engagement.objects.filter(Q(organisation_id=organisation_id) | Q(team__in=joined), pk=engagement_id)
        .select_related("organisation")
        .distinct()
        .first()
    )
    if engagement is None or not may_answer(user=user, organisation_id=organisation_id):
        return engagement and EngagementLink(engagement=engagement, url="")
    if engagement.organisation_id == organisation_id:
        return EngagementLink(engagement=engagement, url=reverse("partners:engagement", kwargs={"pk": engagement.pk}))
    member = joined.filter(engagement=engagement).first()
    return EngagementLink(engagement=engagement, url=reverse("partners:team_invitation", kwargs={"pk": member.pk}))
