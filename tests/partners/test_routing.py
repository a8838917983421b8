"""Routing as a pure function: the same facts always pick the same partners, in the documented
order; and over the database: only partners holding every product in the region are offered,
grace last, a lapsed right out at once, named accounts to the vendor, protection to the owner."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from certifications.models import OrganisationDeliveryRight
from community.models import Region
from partners import offers
from partners.models import (
    CustomerDomain,
    CustomerRequest,
    MarketplaceEvent,
    NamedAccount,
    NamedAccountDomain,
    Offer,
    Opportunity,
    VendorMarketplace,
)
from partners.routing import Candidate, next_offers, routing_order
from tests.certifications.rights.test_rights import make_rule
from tests.factories.community import ProductFactory, VendorFactory
from tests.partners.marketplace import authorised_partner, customer_request

JOINED = datetime(2024, 1, 1, tzinfo=UTC)


def ids(candidates) -> list[int]:
    return [c.organisation_id for c in candidates]


def test_active_partners_come_before_those_in_grace():
    pool = [Candidate(1, JOINED, in_grace=True), Candidate(2, JOINED), Candidate(3, JOINED)]
    assert ids(routing_order(pool)) == [2, 3, 1]


def test_fewest_recent_offers_for_its_weight_goes_first():
    pool = [
        Candidate(1, JOINED, recent_offers=4),
        Candidate(2, JOINED, recent_offers=6, trust=1.0),  # 6 / 2 = 3 beats 4 / 1
        Candidate(3, JOINED, recent_offers=5),
    ]
    assert ids(routing_order(pool)) == [2, 1, 3]


def test_ties_go_to_the_earlier_member_then_the_lower_id():
    later = JOINED + timedelta(days=1)
    pool = [Candidate(3, later), Candidate(2, JOINED), Candidate(1, later)]
    assert ids(routing_order(pool)) == [2, 1, 3]


def test_the_customers_picks_come_first_in_their_order():
    pool = [Candidate(n, JOINED) for n in (1, 2, 3, 4)]
    assert ids(routing_order(pool, chosen=(4, 3))) == [4, 3, 1, 2]


def test_partners_already_offered_are_skipped_and_only_enough_to_fill_the_slots_are_picked():
    pool = [Candidate(n, JOINED) for n in (1, 2, 3, 4, 5)]
    assert ids(next_offers(pool, already_offered=frozenset({1}), pending=1, at_once=3)) == [2, 3]
    assert next_offers(pool, pending=3, at_once=3) == []


def test_the_order_does_not_depend_on_the_order_of_the_facts():
    pool = [Candidate(n, JOINED + timedelta(days=n % 3), in_grace=n % 4 == 0, recent_offers=n % 5) for n in range(40)]
    assert routing_order(pool) == routing_order(list(reversed(pool)))


def test_trust_beyond_its_bounds_is_clamped():
    assert Candidate(1, JOINED, trust=7).weight == 2.0
    assert Candidate(1, JOINED, trust=-1).weight == 1.0


@pytest.fixture
def products(db):
    vendor = VendorFactory(name="Northwind")
    router, switch = ProductFactory(vendor=vendor, name="Router"), ProductFactory(vendor=vendor, name="Switch")
    make_rule(product=router)
    make_rule(product=switch)
    return router, switch


def offered(request) -> list[int]:
    return list(request.offers.order_by("pk").values_list("organisation_id", flat=True))


@pytest.mark.django_db
def test_only_partners_holding_every_product_in_the_region_are_offered(products):
    router, switch = products
    both = authorised_partner(router, switch, name="Both")
    authorised_partner(router, name="Router only")
    authorised_partner(router, switch, region=Region.ASIA_PACIFIC, name="Elsewhere")
    authorised_partner(router, switch, status="lapsed", name="Lapsed")
    request = customer_request(router, switch)
    assert offered(request) == [both.pk]
    assert request.state == CustomerRequest.State.ROUTING


@pytest.mark.django_db
def test_nothing_is_routed_before_the_email_is_confirmed(products, django_capture_on_commit_callbacks):
    router, _ = products
    authorised_partner(router)
    with django_capture_on_commit_callbacks(execute=True):
        request = customer_request(router, confirm=False)
    assert offered(request) == []
    assert [m.to for m in mail.outbox] == [["ana@customer.example"]]
    assert "/partners/request/confirm/" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_partner_in_grace_is_offered_last_and_marked_renewal_pending(products):
    router, _ = products
    VendorMarketplace.objects.create(vendor=router.vendor, offers_at_once=2)
    grace = authorised_partner(router, status="grace", name="Grace")
    first = authorised_partner(router, name="First")
    second = authorised_partner(router, name="Second")
    request = customer_request(router)
    assert offered(request) == [first.pk, second.pk]
    offers.offer_decline(offer_id=request.offers.get(organisation=first).pk, user=first.admin, reason="capacity")
    late = request.offers.get(organisation=grace)
    assert late.in_grace


@pytest.mark.django_db
def test_a_lapsed_right_takes_a_partner_out_of_routing_at_once(products):
    router, _ = products
    VendorMarketplace.objects.create(vendor=router.vendor, offers_at_once=1)
    first = authorised_partner(router, name="First")
    second = authorised_partner(router, name="Second")
    request = customer_request(router)
    OrganisationDeliveryRight.objects.filter(organisation=second).update(status="lapsed")
    offers.offer_decline(offer_id=request.offers.get().pk, user=first.admin, reason="scope")
    request.refresh_from_db()
    assert offered(request) == [first.pk]
    assert request.state == CustomerRequest.State.UNMATCHED


@pytest.mark.django_db
def test_a_named_accounts_request_goes_to_the_vendor_never_to_partners(products, django_capture_on_commit_callbacks):
    router, _ = products
    authorised_partner(router)
    account = NamedAccount.objects.create(
        vendor=router.vendor, company="Big Bank", owner_name="Sam Seller", owner_email="sam@northwind.example"
    )
    NamedAccountDomain.objects.create(account=account, domain="BigBank.example")
    with django_capture_on_commit_callbacks(execute=True):
        request = customer_request(router, email="cio@bigbank.example")
    assert offered(request) == []
    assert request.state == CustomerRequest.State.VENDOR
    assert request.named_account == account
    told = mail.outbox[-1]
    assert told.to == ["cio@bigbank.example"] and "Sam Seller" in told.body


@pytest.mark.django_db
def test_a_protected_customer_goes_to_the_owner_only(products):
    router, _ = products
    authorised_partner(router, name="Other")
    owner = authorised_partner(router, name="Owner")
    opportunity = Opportunity.objects.create(
        organisation=owner,
        vendor=router.vendor,
        customer=CustomerDomain.objects.create(vendor=router.vendor, domain="customer.example"),
        customer_company="Customer GmbH",
        expected_value=1000,
        close_date=timezone.now().date() + timedelta(days=30),
        state=Opportunity.State.APPROVED,
        decide_by=timezone.now(),
        decided_at=timezone.now(),
        protected_until=timezone.now().date() + timedelta(days=60),
    )
    opportunity.products.set([router])
    request = customer_request(router)
    assert offered(request) == [owner.pk]
    assert request.protected_by == opportunity


@pytest.mark.django_db
def test_accepting_takes_the_request_and_withdraws_the_other_offers(products):
    router, _ = products
    first, second = authorised_partner(router, name="First"), authorised_partner(router, name="Second")
    request = customer_request(router)
    engagement = offers.offer_accept(offer_id=request.offers.get(organisation=second).pk, user=second.admin)
    assert engagement.organisation == second and list(engagement.products.all()) == [router]
    states = dict(request.offers.values_list("organisation_id", "state"))
    assert states == {first.pk: Offer.State.WITHDRAWN, second.pk: Offer.State.ACCEPTED}
    with pytest.raises(offers.OfferClosed):
        offers.offer_accept(offer_id=request.offers.get(organisation=first).pk, user=first.admin)


@pytest.mark.django_db
def test_only_the_partners_answerers_may_answer(products):
    router, _ = products
    authorised_partner(router, name="First")
    other = authorised_partner(router, region=Region.ASIA_PACIFIC)
    request = customer_request(router)
    with pytest.raises(offers.PermissionDenied):
        offers.offer_accept(offer_id=request.offers.get().pk, user=other.admin)


@pytest.mark.django_db
def test_expired_offers_pass_the_request_on_once(products):
    router, _ = products
    VendorMarketplace.objects.create(vendor=router.vendor, offers_at_once=1, offer_hours=1)
    first, second = authorised_partner(router, name="First"), authorised_partner(router, name="Second")
    request = customer_request(router)
    later = timezone.now() + timedelta(hours=2)
    assert offers.offers_expire(now=later) == 1
    assert offers.offers_expire(now=later) == 0
    assert dict(request.offers.values_list("organisation_id", "state")) == {
        first.pk: Offer.State.EXPIRED,
        second.pk: Offer.State.PENDING,
    }


@pytest.mark.django_db
def test_partners_are_reminded_once_before_the_deadline(products):
    router, _ = products
    partner = authorised_partner(router)
    customer_request(router)
    soon = timezone.now() + timedelta(hours=40)
    assert offers.offers_remind(now=soon) == 1
    assert offers.offers_remind(now=soon) == 0
    assert MarketplaceEvent.objects.filter(kind="deadline_near", organisation=partner).count() == 1


@pytest.mark.django_db
def test_routing_runs_the_same_queries_for_one_partner_as_for_three(products, django_assert_num_queries):
    """The offers, their events and the answerers' notices are written in bulk; each offered
    partner's admin and allowed engineer, and only they, get a notice linking to their lead."""
    from community.models import Membership
    from partners.models import LeadResponder, MarketplaceNotification
    from partners.requests import request_route
    from tests.factories.community import MembershipFactory

    router, _ = products

    def routed(partners: int):
        for n in range(partners):
            partner = authorised_partner(router, name=f"Partner {partners}-{n}")
            engineer = MembershipFactory(organisation=partner, role=Membership.Role.ENGINEER).user
            LeadResponder.objects.create(organisation=partner, user=engineer)
            MembershipFactory(organisation=partner, role=Membership.Role.ENGINEER)  # not allowed
        request = customer_request(router, confirm=False, email=f"bo{partners}@customer{partners}.example")
        CustomerRequest.objects.filter(pk=request.pk).update(state=CustomerRequest.State.ROUTING)
        request.refresh_from_db()
        with django_assert_num_queries(11):
            return request_route(request=request)

    one = routed(1)
    Offer.objects.all().delete()
    OrganisationDeliveryRight.objects.all().delete()
    three = routed(3)
    assert len(one) == 1 and len(three) == 3
    for offer in three:
        notices = MarketplaceNotification.objects.filter(
            event__kind=MarketplaceEvent.Kind.OFFERED, url__endswith=f"/{offer.pk}/"
        )
        allowed = set(
            LeadResponder.objects.filter(organisation=offer.organisation_id).values_list("user_id", flat=True)
        )
        assert set(notices.values_list("user_id", flat=True)) == allowed | {
            offer.organisation.memberships.get(role="admin").user_id
        }
        assert (
            MarketplaceEvent.objects.get(kind=MarketplaceEvent.Kind.OFFERED, detail__offer=offer.pk).organisation_id
            == offer.organisation_id
        )
