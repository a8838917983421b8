"""A partner's answer to an offer: accept (the request becomes its engagement and the other
offers are withdrawn), decline with a reason, or let it expire; declined and expired offers pass
the request on. Only the partner's admins and the engineers they allow may answer."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import User
from partners.events import Kind, event_record, lead_answerers
from partners.models import CustomerRequest, Engagement, Offer
from partners.requests import request_route

# Partners are reminded once when this little time is left to answer.
REMIND_BEFORE = timedelta(hours=12)


class OfferClosed(ValidationError):
    """The offer was already answered, expired, or taken by another partner."""


def may_answer(*, user: User, organisation_id: int) -> bool:
    return any(answerer.pk == user.pk for answerer in lead_answerers(organisation_id))


def _locked(offer_id: int, user: User) -> tuple[Offer, CustomerRequest]:
    offer = Offer.objects.select_related("organisation").get(pk=offer_id)
    if not may_answer(user=user, organisation_id=offer.organisation_id):
        raise PermissionDenied
    request = CustomerRequest.objects.select_for_update().get(pk=offer.request_id)
    offer = Offer.objects.select_for_update().select_related("organisation").get(pk=offer_id)
    if offer.state != Offer.State.PENDING:
        raise OfferClosed(_("This offer is closed: %(state)s.") % {"state": offer.get_state_display()})
    return offer, request


def offer_accept(*, offer_id: int, user: User, now: datetime | None = None) -> Engagement:
    now = now or timezone.now()
    with transaction.atomic():
        offer, request = _locked(offer_id, user)
        if now > offer.respond_by:
            raise OfferClosed(_("The time to answer this offer has passed."))
        offer.state, offer.responded_at, offer.responded_by = Offer.State.ACCEPTED, now, user
        offer.save(update_fields=["state", "responded_at", "responded_by"])
        request.state = CustomerRequest.State.ACCEPTED
        request.save(update_fields=["state"])
        engagement = Engagement.objects.create(
            organisation_id=offer.organisation_id,
            vendor_id=request.vendor_id,
            request=request,
            customer_company=request.company,
            contact_name=request.contact_name,
            contact_email=request.email,
            contact_language=request.language,
            started_at=now,
        )
        engagement.products.set(request.products.all())
        event_record(
            Kind.ACCEPTED,
            request=request,
            engagement=engagement,
            organisation_id=offer.organisation_id,
            actor=user,
            at=now,
            customer=True,
            detail={"offer": offer.pk},
        )
        for other in request.offers.filter(state=Offer.State.PENDING).exclude(pk=offer.pk):
            other.state, other.responded_at = Offer.State.WITHDRAWN, now
            other.save(update_fields=["state", "responded_at"])
            event_record(
                Kind.WITHDRAWN,
                request=request,
                organisation_id=other.organisation_id,
                at=now,
                notify=lead_answerers(other.organisation_id),
                url=reverse("partners:lead", kwargs={"pk": other.pk}),
                detail={"offer": other.pk},
            )
    return engagement


def offer_decline(*, offer_id: int, user: User, reason: str, now: datetime | None = None) -> Offer:
    now = now or timezone.now()
    with transaction.atomic():
        offer, request = _locked(offer_id, user)
        offer.state, offer.responded_at, offer.responded_by = Offer.State.DECLINED, now, user
        offer.decline_reason = reason
        offer.full_clean(exclude=["request", "organisation", "responded_by"])
        offer.save(update_fields=["state", "responded_at", "responded_by", "decline_reason"])
        event_record(
            Kind.DECLINED,
            request=request,
            organisation_id=offer.organisation_id,
            actor=user,
            at=now,
            detail={"offer": offer.pk, "reason": reason},
        )
        request_route(request=request, now=now)
    return offer


def offers_expire(*, now: datetime | None = None) -> int:
    """Periodic: close offers past their deadline and pass their requests on. Idempotent."""
    now = now or timezone.now()
    expired = 0
    for offer_id in Offer.objects.filter(state=Offer.State.PENDING, respond_by__lt=now).values_list("pk", flat=True):
        with transaction.atomic():
            offer = Offer.objects.select_for_update().filter(pk=offer_id, state=Offer.State.PENDING).first()
            if offer is None:
                continue
            request = CustomerRequest.objects.select_for_update().get(pk=offer.request_id)
            offer.state, offer.responded_at = Offer.State.EXPIRED, now
            offer.save(update_fields=["state", "responded_at"])
            event_record(
                Kind.EXPIRED,
                request=request,
                organisation_id=offer.organisation_id,
                at=now,
                notify=lead_answerers(offer.organisation_id),
                url=reverse("partners:lead", kwargs={"pk": offer.pk}),
                detail={"offer": offer.pk},
            )
            request_route(request=request, now=now)
            expired += 1
    return expired


def offers_remind(*, now: datetime | None = None) -> int:
    """Periodic: tell partners once that an offer's deadline is near. Idempotent."""
    now = now or timezone.now()
    due = Offer.objects.filter(
        state=Offer.State.PENDING, reminded_at__isnull=True, respond_by__gte=now, respond_by__lte=now + REMIND_BEFORE
    )
    reminded = 0
    for offer in due.select_related("request"):
        with transaction.atomic():
            if not Offer.objects.filter(pk=offer.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            event_record(
                Kind.DEADLINE_NEAR,
                request=offer.request,
                organisation_id=offer.organisation_id,
                at=now,
                notify=lead_answerers(offer.organisation_id),
                url=reverse("partners:lead", kwargs={"pk": offer.pk}),
                detail={"offer": offer.pk, "respond_by": offer.respond_by.isoformat()},
            )
            reminded += 1
    return reminded
