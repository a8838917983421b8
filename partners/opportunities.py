"""Opportunity registration: a partner registers a customer it found; the vendor's programme
managers approve it (protecting the partner for that customer and those products for the vendor's
window, renewable once) or reject it. A registration meeting another partner's open or protected
one for the same customer domain and a shared product is a conflict, decided by the vendor; both
partners see the outcome. Every transition is an event (`partners.events`)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import DomainNameValidator
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.models import OrganisationDeliveryRight
from community.models import PartnerOrganisation, Product, User
from community.selectors import vendors_for_managers
from partners.events import Kind, event_record, lead_answerers
from partners.models import CustomerDomain, Opportunity, OpportunityConflict, VendorMarketplace

State = Opportunity.State
OPEN = (State.PENDING, State.CONFLICT)
_domain_valid = DomainNameValidator(accept_idna=False)


def customer_domain_normalise(value: str) -> str:
    """The customer's domain, lower-case, from a domain or an e-mail address; ValidationError
    for anything else (a bare word, spaces, several addresses)."""
    domain = value.strip().lower().rsplit("@", 1)[-1].rstrip(".")
    try:
        domain = domain.encode("idna").decode("ascii")
        _domain_valid(domain)
    except (UnicodeError, ValidationError):
        raise ValidationError(
            {"customer_domain": _("Enter the customer's e-mail domain, such as customer.example, or an address there.")}
        ) from None
    return domain


def _partner_url(opportunity: Opportunity) -> str:
    return reverse("partners:opportunity", kwargs={"pk": opportunity.pk})


def _vendor_url(opportunity: Opportunity) -> str:
    return reverse("partners:vendor_opportunity", kwargs={"pk": opportunity.pk})


def _partner_event(kind: str, opportunity: Opportunity, now: datetime, **fields) -> None:
    """Record a step of `opportunity` and tell its partner's answerers."""
    event_record(
        kind,
        opportunity=opportunity,
        organisation_id=opportunity.organisation_id,
        at=now,
        notify=lead_answerers(opportunity.organisation_id),
        url=_partner_url(opportunity),
        **fields,
    )


def _managers(vendor_id: int) -> list[User]:
    return list(User.objects.filter(groups__vendor_managers_of=vendor_id, is_active=True))


def _require_manager(user: User, opportunity: Opportunity) -> None:
    if not vendors_for_managers(user=user).filter(pk=opportunity.vendor_id).exists():
        raise PermissionDenied


def _eligible(organisation: PartnerOrganisation, products: list[Product]) -> None:
    if not products:
        raise ValidationError({"products": _("Choose at least one product.")})
    if len({p.vendor_id for p in products}) > 1:
        raise ValidationError({"products": _("Register one vendor's products at a time.")})
    held = set(
        OrganisationDeliveryRight.objects.holding()
        .filter(organisation=organisation, product__in=products)
        .values_list("product_id", flat=True)
    )
    missing = sorted(p.name for p in products if p.pk not in held)
    if missing:
        raise ValidationError(
            {
                "products": _("Your company holds no delivery right to %(products)s, so it may not register them.")
                % {"products": ", ".join(missing)}
            }
        )


def _standing(today: date) -> Q:
    """Registrations that still claim their customer: waiting, in conflict, or protected."""
    return Q(state__in=OPEN) | Q(state=State.APPROVED, protected_until__gte=today)


def opportunity_register(
    *,
    organisation: PartnerOrganisation,
    user: User,
    customer_company: str,
    customer_domain: str,
    products: list[Product],
    expected_value: Decimal,
    close_date: date,
    notes: str = "",
    now: datetime | None = None,
) -> Opportunity:
    """Register the opportunity, pending the vendor's decision by its review window. Only a
    partner holding (active or in grace) the right to every product may. Locks the vendor's
    CustomerDomain row (as every decision does), so registrations for one customer are checked
    one after the other: a registration meeting another partner's standing one on a shared
    product is a CONFLICT, with an OpportunityConflict(first=older, second=new); an older pending
    one becomes CONFLICT too."""
    now = now or timezone.now()
    products = list(products)
    _eligible(organisation, products)
    domain = customer_domain_normalise(customer_domain)
    if expected_value < 0:
        raise ValidationError({"expected_value": _("The expected value cannot be negative.")})
    if close_date < now.date():
        raise ValidationError({"close_date": _("The expected close date has passed.")})
    vendor_id = products[0].vendor_id
    with transaction.atomic():
        customer, _created = CustomerDomain.objects.get_or_create(vendor_id=vendor_id, domain=domain)
        customer = CustomerDomain.objects.select_for_update().get(pk=customer.pk)
        standing = list(
            Opportunity.objects.filter(_standing(now.date()), customer=customer, products__in=products)
            .distinct()
            .order_by("registered_at", "pk")
        )
        if any(o.organisation_id == organisation.pk for o in standing):
            raise ValidationError(
                {"customer_domain": _("Your company already has a registration for this customer and product.")}
            )
        opportunity = Opportunity.objects.create(
            organisation=organisation,
            vendor_id=vendor_id,
            customer=customer,
            customer_company=customer_company.strip(),
            expected_value=expected_value,
            close_date=close_date,
            notes=notes.strip(),
            state=State.CONFLICT if standing else State.PENDING,
            registered_at=now,
            registered_by=user,
            decide_by=now + timedelta(days=VendorMarketplace.for_vendor(vendor_id).review_days),
        )
        opportunity.products.set(products)
        event_record(
            Kind.REGISTERED,
            opportunity=opportunity,
            organisation=organisation,
            actor=user,
            at=now,
            notify=_managers(vendor_id),
            url=_vendor_url(opportunity),
            detail={"conflict": bool(standing)},
        )
        if standing:
            _conflicts_record(opportunity, standing, now)
    return opportunity


def _conflicts_record(opportunity: Opportunity, older: list[Opportunity], now: datetime) -> None:
    for first in older:
        OpportunityConflict.objects.create(first=first, second=opportunity, found_at=now)
        if first.state == State.PENDING:
            first.state = State.CONFLICT
            first.save(update_fields=["state"])
        _partner_event(Kind.CONFLICT, first, now)
    _partner_event(Kind.CONFLICT, opportunity, now)


def _locked(opportunity_id: int) -> Opportunity:
    """The registration under its customer's lock, as registrations take it."""
    customer_id = Opportunity.objects.values_list("customer_id", flat=True).get(pk=opportunity_id)
    CustomerDomain.objects.select_for_update().get(pk=customer_id)
    return Opportunity.objects.select_for_update().get(pk=opportunity_id)


def _approve(opportunity: Opportunity, user: User, now: datetime, note: str, detail: dict) -> None:
    days = VendorMarketplace.for_vendor(opportunity.vendor_id).protection_days
    opportunity.state = State.APPROVED
    opportunity.decided_at, opportunity.decided_by, opportunity.decision_note = now, user, note
    opportunity.protected_until = now.date() + timedelta(days=days)
    opportunity.save(update_fields=["state", "decided_at", "decided_by", "decision_note", "protected_until"])
    _partner_event(
        Kind.APPROVED,
        opportunity,
        now,
        actor=user,
        detail={"protected_until": opportunity.protected_until.isoformat(), "note": note, **detail},
    )


def _reject(opportunity: Opportunity, user: User, now: datetime, note: str, detail: dict) -> None:
    opportunity.state = State.REJECTED
    opportunity.decided_at, opportunity.decided_by, opportunity.decision_note = now, user, note
    opportunity.protected_until = None
    opportunity.save(update_fields=["state", "decided_at", "decided_by", "decision_note", "protected_until"])
    _partner_event(Kind.REJECTED, opportunity, now, actor=user, detail={"note": note, **detail})
    _conflicts_release(opportunity, user, now)


def _open_conflicts(opportunity: Opportunity):
    return OpportunityConflict.objects.filter(
        Q(first=opportunity) | Q(second=opportunity), decided_at__isnull=True
    ).select_related("first", "second")


def _conflicts_release(rejected: Opportunity, user: User, now: datetime) -> None:
    """A rejected registration no longer contests its customer: its open conflicts close in
    favour of the other party, which goes back to waiting for the vendor once it has none left."""
    for conflict in _open_conflicts(rejected):
        other = conflict.second if conflict.first_id == rejected.pk else conflict.first
        conflict.winner, conflict.decided_at, conflict.decided_by = other, now, user
        conflict.save(update_fields=["winner", "decided_at", "decided_by"])
        if other.state == State.CONFLICT and not _open_conflicts(other).exists():
            Opportunity.objects.filter(pk=other.pk, state=State.CONFLICT).update(state=State.PENDING)


def opportunity_approve(*, opportunity: Opportunity, user: User, note: str = "", now: datetime | None = None):
    """Approve a waiting registration: it protects its partner for `protection_days` from today.
    Only the vendor's programme managers; a registration in conflict is decided with
    `conflict_decide` instead."""
    now = now or timezone.now()
    _require_manager(user, opportunity)
    with transaction.atomic():
        opportunity = _locked(opportunity.pk)
        if opportunity.state == State.CONFLICT:
            raise ValidationError(_("This registration is in conflict: decide between the two registrations."))
        if opportunity.state != State.PENDING:
            raise ValidationError(_("This registration was already decided."))
        _approve(opportunity, user, now, note.strip(), {})
    return opportunity


def opportunity_reject(*, opportunity: Opportunity, user: User, note: str, now: datetime | None = None):
    """Reject a waiting or conflicting registration, saying why (the partner reads the note)."""
    now = now or timezone.now()
    _require_manager(user, opportunity)
    if not note.strip():
        raise ValidationError({"note": _("Say why the registration is rejected; the partner reads it.")})
    with transaction.atomic():
        opportunity = _locked(opportunity.pk)
        if opportunity.state not in OPEN:
            raise ValidationError(_("This registration was already decided."))
        _reject(opportunity, user, now, note.strip(), {})
    return opportunity


def conflict_decide(
    *, conflict: OpportunityConflict, winner: Opportunity, user: User, note: str = "", now: datetime | None = None
) -> OpportunityConflict:
    """Decide a conflict: the loser is rejected and the winner approved (an already protected
    winner keeps its window). Both partners get the outcome and the note."""
    now = now or timezone.now()
    if winner.pk not in (conflict.first_id, conflict.second_id):
        raise ValidationError(_("The winner must be one of the two registrations in conflict."))
    _require_manager(user, winner)
    note = note.strip()
    with transaction.atomic():
        winner = _locked(winner.pk)
        conflict = OpportunityConflict.objects.select_for_update().get(pk=conflict.pk)
        if conflict.decided_at is not None:
            raise ValidationError(_("This conflict was already decided."))
        loser = Opportunity.objects.select_for_update().get(
            pk=conflict.second_id if winner.pk == conflict.first_id else conflict.first_id
        )
        conflict.winner, conflict.decided_at, conflict.decided_by, conflict.note = winner, now, user, note
        conflict.save(update_fields=["winner", "decided_at", "decided_by", "note"])
        detail = {"conflict": conflict.pk}
        if loser.state in (*OPEN, State.APPROVED):
            _reject(loser, user, now, note, detail)
        if winner.state == State.CONFLICT and not _open_conflicts(winner).exists():
            _approve(winner, user, now, note, detail)
    return conflict


def opportunity_renew(*, opportunity: Opportunity, user: User, now: datetime | None = None) -> Opportunity:
    """Extend a protected registration's window by `protection_days`, once. The partner's
    admins and lead responders, or the vendor's programme managers, may."""
    now = now or timezone.now()
    answerer = any(a.pk == user.pk for a in lead_answerers(opportunity.organisation_id))
    if not answerer:
        _require_manager(user, opportunity)
    with transaction.atomic():
        opportunity = _locked(opportunity.pk)
        if opportunity.state != State.APPROVED or opportunity.protected_until < now.date():
            raise ValidationError(_("Only a registration still protected can be renewed."))
        if opportunity.renewed:
            raise ValidationError(_("This registration's protection was already renewed once."))
        days = VendorMarketplace.for_vendor(opportunity.vendor_id).protection_days
        opportunity.protected_until += timedelta(days=days)
        opportunity.renewed = True
        opportunity.save(update_fields=["protected_until", "renewed"])
        event_record(
            Kind.PROTECTION_RENEWED,
            opportunity=opportunity,
            organisation_id=opportunity.organisation_id,
            actor=user,
            at=now,
            notify=_managers(opportunity.vendor_id),
            url=_vendor_url(opportunity),
            detail={"protected_until": opportunity.protected_until.isoformat()},
        )
    return opportunity


def opportunities_expire(*, now: datetime | None = None) -> int:
    """Periodic: approved registrations whose protection has ended become EXPIRED. Idempotent."""
    now = now or timezone.now()
    ended = Opportunity.objects.filter(state=State.APPROVED, protected_until__lt=now.date())
    expired = 0
    for opportunity_id in ended.values_list("pk", flat=True):
        with transaction.atomic():
            opportunity = ended.select_for_update().filter(pk=opportunity_id).first()
            if opportunity is None:
                continue
            opportunity.state = State.EXPIRED
            opportunity.save(update_fields=["state"])
            _partner_event(Kind.PROTECTION_ENDED, opportunity, now)
            expired += 1
    return expired
