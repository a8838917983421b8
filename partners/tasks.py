"""The marketplace's background work: its e-mails, the offer deadline and protection sweeps, and
partner tiers' recomputation and daily sweep. Each task is
safe to retry; with no broker they run in-process."""

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, OperationalError
from django.utils import translation

from community.emails import templated_email
from community.models import User
from partners import engagements, offers, opportunities, requests, tiers
from partners.event_text import event_sentence
from partners.models import CustomerRequest, MarketplaceEvent


@shared_task(
    name="partners.tasks.request_confirmation_send", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def request_confirmation_send(*, request_id: int) -> bool:
    request = CustomerRequest.objects.filter(pk=request_id, state=CustomerRequest.State.UNCONFIRMED).first()
    if request is None:
        return False
    context = {"request": request, "confirm_url": requests.confirm_url(request)}
    templated_email("partners/email/request_confirm", context, to=request.email, language=request.language).send()
    return True


@shared_task(name="partners.tasks.customer_email_send", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def customer_email_send(*, event_id: int) -> bool:
    """Tell the customer contact of a step of their request (or their engagement)."""
    event = MarketplaceEvent.objects.select_related("organisation", "request", "engagement").filter(pk=event_id).first()
    if event is None:
        return False
    request, engagement = event.request, event.engagement
    if event.kind == MarketplaceEvent.Kind.DELIVERED and engagement:
        # The survey goes to the engagement's own contact, with the one link to answer it.
        to, language = engagement.contact_email, engagement.contact_language
        with translation.override(language):
            sentence = event_sentence(event)
        context = {"event": event, "sentence": sentence, "survey_url": engagements.survey_url(engagement)}
        templated_email("partners/email/customer_survey", context, to=to, language=language).send()
        return True
    to, language = (
        (request.email, request.language) if request else (engagement.contact_email, engagement.contact_language)
    )
    with translation.override(language):
        sentence = event_sentence(event)
    context = {"event": event, "sentence": sentence, "url": requests.follow_url(request) if request else ""}
    templated_email("partners/email/customer_step", context, to=to, language=language).send()
    return True


@shared_task(name="partners.tasks.notice_email_send", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notice_email_send(*, event_id: int, user_ids: list[int], url: str) -> int:
    """E-mail the people notified of an event, each in their language."""
    event = MarketplaceEvent.objects.select_related("organisation", "request").filter(pk=event_id).first()
    if event is None:
        return 0
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True):
        with translation.override(user.preferred_language or "en"):
            sentence = event_sentence(event)
        context = {"event": event, "sentence": sentence, "url": settings.SITE_URL + url, "user": user}
        templated_email("partners/email/notice", context, to=user.email, language=user.preferred_language).send()
        sent += 1
    return sent


@shared_task(name="partners.tasks.offers_sweep")
def offers_sweep() -> dict:
    """Periodic: remind partners of offers due soon, then expire those past due."""
    return {"reminded": offers.offers_remind(), "expired": offers.offers_expire()}


@shared_task(name="partners.tasks.opportunities_sweep")
def opportunities_sweep() -> dict:
    """Periodic: registrations whose protection has ended expire."""
    return {"expired": opportunities.opportunities_expire()}


@shared_task(
    name="partners.tasks.tiers_recompute",
    autoretry_for=(OperationalError, IntegrityError),
    retry_backoff=True,
    max_retries=5,
)
def tiers_recompute(*, organisation_id: int, cause: str) -> list[str]:
    """Recompute one organisation's tiers (after its rights, people, engagements or answers
    changed). Idempotent: a second run finds nothing to change."""
    return tiers.organisation_tiers_recompute(organisation_id=organisation_id, cause=cause)


@shared_task(
    name="partners.tasks.tiers_recompute_vendor",
    autoretry_for=(OperationalError, IntegrityError),
    retry_backoff=True,
    max_retries=5,
)
def tiers_recompute_vendor(*, vendor_id: int, cause: str) -> int:
    """Recompute every organisation's tier with a vendor (after one of its tiers changed)."""
    return len(tiers.tiers_recompute_all(vendor_id=vendor_id, cause=cause))


@shared_task(
    name="partners.tasks.tiers_sweep",
    autoretry_for=(OperationalError, IntegrityError),
    retry_backoff=True,
    max_retries=5,
)
def tiers_sweep() -> int:
    """Daily: recompute every organisation's tiers, so graces that have ended move partners down
    (and anything a missed event left behind is caught up). Idempotent. Returns the changes."""
    return len(tiers.tiers_recompute_all(cause=tiers.Cause.SWEEP))
