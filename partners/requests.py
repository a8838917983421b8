"""A customer's request from submission to the partner who takes it: submit, confirm the
e-mail, then route — to the vendor for its named accounts, to the protected owner of the
customer, else to authorised partners a few at a time (`partners.routing`)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community.models import Product, User
from partners import tokens
from partners.events import Kind, event_record, events_record, lead_answerers_of
from partners.models import CustomerRequest, NamedAccountDomain, Offer, Opportunity, VendorMarketplace
from partners.routing import Candidate, next_offers
from partners.routing_facts import candidates_for
from partners.vendor_requests_cache import vendor_request_results

State = CustomerRequest.State


def follow_url(request: CustomerRequest) -> str:
    return settings.SITE_URL + reverse(
        "partners:request_follow", kwargs={"token": tokens.token_make(tokens.FOLLOW, request.pk)}
    )


def confirm_url(request: CustomerRequest) -> str:
    return settings.SITE_URL + reverse(
        "partners:request_confirm", kwargs={"token": tokens.token_make(tokens.CONFIRM, request.pk)}
    )


@transaction.atomic
def request_submit(*, products: list[Product], chosen_partner_ids: list[int] = (), **fields) -> CustomerRequest:
    """Store the request unconfirmed and e-mail the customer the confirmation link. Nothing is
    routed until they follow it. `products` are of one vendor (the form checks)."""
    request = CustomerRequest.objects.create(vendor_id=products[0].vendor_id, **fields)
    request.products.set(products)
    if chosen_partner_ids:
        request.chosen_partners.set(chosen_partner_ids)
    event_record(Kind.REQUEST_CREATED, request=request, at=request.created_at)
    from partners.tasks import request_confirmation_send

    transaction.on_commit(lambda: request_confirmation_send.delay(request_id=request.pk))
    return request


def request_confirm(*, request_id: int, now: datetime | None = None) -> CustomerRequest | None:
    """Mark the e-mail confirmed and route the request; a second click changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        request = CustomerRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None or request.state != State.UNCONFIRMED:
            return request
        request.confirmed_at = now
        request.state = State.ROUTING
        request.save(update_fields=["confirmed_at", "state"])
        event_record(Kind.REQUEST_CONFIRMED, request=request, at=now)
        request_route(request=request, now=now)
    return request


def _protecting_opportunity(request: CustomerRequest, product_ids: list[int], today) -> Opportunity | None:
    return (
        Opportunity.objects.filter(
            vendor_id=request.vendor_id,
            customer__domain=request.email_domain,
            state=Opportunity.State.APPROVED,
            protected_until__gte=today,
            products__in=product_ids,
        )
        .select_related("organisation")
        .order_by("decided_at")
        .first()
    )


def request_route(*, request: CustomerRequest, now: datetime | None = None) -> list[Offer]:
    """Offer the request to the next partners, so that the vendor's number of offers at once is
    out; called on confirmation and whenever an offer is declined or expires. Call inside a
    transaction holding the request's row lock. Returns the new offers."""
    now = now or timezone.now()
    if request.state != State.ROUTING:
        return []
    product_ids = list(request.products.values_list("pk", flat=True))
    named = (
        NamedAccountDomain.objects.filter(vendor_id=request.vendor_id, domain=request.email_domain)
        .select_related("account")
        .first()
    )
    if named is not None:
        return _to_vendor(request, named.account, now)
    offers = list(request.offers.all())
    candidates = {c.organisation_id: c for c in candidates_for(product_ids=product_ids, region=request.region, now=now)}
    owner = _protecting_opportunity(request, product_ids, now.date())
    if owner is not None and owner.organisation_id in candidates:
        if not offers:
            event_record(Kind.REQUEST_TO_OWNER, request=request, opportunity=owner, at=now)
            request.protected_by = owner
            request.save(update_fields=["protected_by"])
        chosen: tuple[int, ...] = (owner.organisation_id,)
        pool = [candidates[owner.organisation_id]]
    else:
        chosen = tuple(request.chosen_partners.order_by("name").values_list("pk", flat=True))
        pool = list(candidates.values())
    settings_ = VendorMarketplace.for_vendor(request.vendor_id)
    pending = sum(1 for offer in offers if offer.state == Offer.State.PENDING)
    picked = next_offers(
        pool,
        already_offered=frozenset(offer.organisation_id for offer in offers),
        chosen=chosen,
        pending=pending,
        at_once=settings_.offers_at_once,
    )
    created = _offers(request, picked, now, hours=settings_.offer_hours)
    if not created and not pending:
        request.state = State.UNMATCHED
        request.save(update_fields=["state"])
        event_record(Kind.REQUEST_UNMATCHED, request=request, at=now, customer=True)
    return created


def _to_vendor(request: CustomerRequest, account, now: datetime) -> list[Offer]:
    request.state = State.VENDOR
    request.named_account = account
    request.save(update_fields=["state", "named_account"])
    managers = User.objects.filter(groups__vendor_managers_of=request.vendor_id, is_active=True)
    event_record(
        Kind.REQUEST_TO_VENDOR,
        request=request,
        at=now,
        notify=list(managers),
        url=reverse("partners_admin:inbox"),
        detail={"account": account.company, "owner": account.owner_name, "owner_email": account.owner_email},
        customer=True,
    )
    return []


def _offers(request: CustomerRequest, picked: list[Candidate], now: datetime, *, hours: int) -> list[Offer]:
    """Offer the request to each of `picked`, with its event and a notice to the partner's
    answerers: four queries however many partners."""
    if not picked:
        return []
    respond_by = now + timedelta(hours=hours)
    offers = Offer.objects.bulk_create(
        [
            Offer(
                request=request,
                organisation_id=candidate.organisation_id,
                in_grace=candidate.in_grace,
                offered_at=now,
                respond_by=respond_by,
            )
            for candidate in picked
        ]
    )
    vendor_request_results.scope_changed(request.vendor_id)  # bulk inserts send no post_save
    answerers = lead_answerers_of([offer.organisation_id for offer in offers])
    events_record(
        Kind.OFFERED,
        events=[
            (
                {
                    "request": request,
                    "organisation_id": offer.organisation_id,
                    "at": now,
                    "detail": {"offer": offer.pk, "respond_by": respond_by.isoformat(), "in_grace": offer.in_grace},
                },
                answerers[offer.organisation_id],
                reverse("partners:lead", kwargs={"pk": offer.pk}),
            )
            for offer in offers
        ],
    )
    return offers
