"""After a partner accepts: it marks the engagement delivered (once), which sends the customer
contact a one-time survey link; the customer answers once; the partner may reply publicly to a
comment once, and the vendor's staff may hide an abusive comment (audited: who and when).
Each service is one transaction and locks the row it changes, so a double click or two tabs
change it once. Delivering and answering change the partner's tier facts (`partners.tiers`)."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community import selectors as community_selectors
from community.models import User
from partners import tiers, tokens
from partners.events import Kind, event_record, lead_answerers
from partners.models import Engagement, SatisfactionResponse
from partners.offers import may_answer


class EngagementClosed(ValidationError):
    """The step was already taken (delivered, answered, replied, hidden)."""


def survey_url(engagement: Engagement) -> str:
    """The customer contact's one link to the survey: the signature is the secret."""
    path = reverse("partners:survey", kwargs={"token": tokens.token_make(tokens.SURVEY, engagement.pk)})
    return settings.SITE_URL + path


def may_moderate(*, user: User, vendor_id: int) -> bool:
    """Vendor staff of the engagement's vendor (and superusers) may hide its comments."""
    return community_selectors.vendors_for_staff(user=user).filter(pk=vendor_id).exists()


def engagement_deliver(*, engagement_id: int, user: User, now: datetime | None = None) -> Engagement:
    """Mark the engagement delivered, once, by one of its partner's answerers; the customer
    contact is e-mailed the survey link after the commit."""
    now = now or timezone.now()
    with transaction.atomic():
        engagement = Engagement.objects.select_for_update().get(pk=engagement_id)
        if not may_answer(user=user, organisation_id=engagement.organisation_id):
            raise PermissionDenied
        if engagement.delivered_at:
            raise EngagementClosed(_("This engagement is already marked delivered."), code="delivered")
        engagement.delivered_at, engagement.delivered_by, engagement.survey_sent_at = now, user, now
        engagement.save(update_fields=["delivered_at", "delivered_by", "survey_sent_at"])
        event_record(
            Kind.DELIVERED,
            engagement=engagement,
            request_id=engagement.request_id,
            organisation_id=engagement.organisation_id,
            actor=user,
            at=now,
            customer=True,
        )
        tiers.tiers_recompute_queue(organisation_id=engagement.organisation_id, cause=tiers.Cause.ENGAGEMENT_DELIVERED)
    return engagement


def survey_answer(
    *, engagement_id: int, satisfaction: int, recommend: int, comment: str = "", now: datetime | None = None
) -> SatisfactionResponse:
    """Store the customer contact's one answer to a delivered engagement's survey. A second
    answer, even racing the first, is refused: the engagement row is locked and the response is
    one-to-one with it."""
    now = now or timezone.now()
    with transaction.atomic():
        engagement = Engagement.objects.select_for_update().get(pk=engagement_id)
        if not engagement.delivered_at:
            raise EngagementClosed(_("This engagement is not delivered yet."), code="not_delivered")
        if SatisfactionResponse.objects.filter(engagement=engagement).exists():
            raise EngagementClosed(_("This survey is already answered. Thank you."), code="answered")
        try:
            with transaction.atomic():
                response = SatisfactionResponse.objects.create(
                    engagement=engagement,
                    organisation_id=engagement.organisation_id,
                    satisfaction=satisfaction,
                    recommend=recommend,
                    comment=comment.strip(),
                    answered_at=now,
                )
        except IntegrityError:
            raise EngagementClosed(_("This survey is already answered. Thank you."), code="answered") from None
        event_record(
            Kind.SURVEY_ANSWERED,
            engagement=engagement,
            request_id=engagement.request_id,
            organisation_id=engagement.organisation_id,
            at=now,
            notify=lead_answerers(engagement.organisation_id),
            url=reverse("partners:engagement", kwargs={"pk": engagement.pk}),
            detail={"response": response.pk},
        )
        tiers.tiers_recompute_queue(organisation_id=engagement.organisation_id, cause=tiers.Cause.SURVEY_ANSWERED)
    return response


def response_reply(*, response_id: int, user: User, text: str, now: datetime | None = None) -> SatisfactionResponse:
    """The partner's one public reply to a visible comment, by one of its answerers."""
    now = now or timezone.now()
    text = text.strip()
    with transaction.atomic():
        response = SatisfactionResponse.objects.select_for_update().get(pk=response_id)
        if not may_answer(user=user, organisation_id=response.organisation_id):
            raise PermissionDenied
        if not response.comment or response.hidden_at:
            raise EngagementClosed(_("There is no visible comment to reply to."), code="no_comment")
        if response.replied_at:
            raise EngagementClosed(_("You already replied to this comment."), code="replied")
        if not text:
            raise ValidationError(_("Write your reply."), code="empty")
        response.reply, response.replied_at = text, now
        response.full_clean(exclude=["engagement", "organisation", "hidden_by"])
        response.save(update_fields=["reply", "replied_at"])
        event_record(
            Kind.COMMENT_REPLIED,
            engagement_id=response.engagement_id,
            organisation_id=response.organisation_id,
            actor=user,
            at=now,
            detail={"response": response.pk},
        )
    return response


def response_hide(*, response_id: int, user: User, now: datetime | None = None) -> SatisfactionResponse:
    """Hide an abusive comment (and the reply to it) from every public page, by staff of the
    engagement's vendor; the score still counts the answer. Recorded with who and when, and the
    partner is told."""
    now = now or timezone.now()
    with transaction.atomic():
        response = SatisfactionResponse.objects.select_for_update().select_related("engagement").get(pk=response_id)
        if not may_moderate(user=user, vendor_id=response.engagement.vendor_id):
            raise PermissionDenied
        if response.hidden_at:
            raise EngagementClosed(_("This comment is already hidden."), code="hidden")
        response.hidden_at, response.hidden_by = now, user
        response.save(update_fields=["hidden_at", "hidden_by"])
        event_record(
            Kind.COMMENT_HIDDEN,
            engagement_id=response.engagement_id,
            organisation_id=response.organisation_id,
            actor=user,
            at=now,
            notify=lead_answerers(response.organisation_id),
            url=reverse("partners:engagement", kwargs={"pk": response.engagement_id}),
            detail={"response": response.pk},
        )
    return response
