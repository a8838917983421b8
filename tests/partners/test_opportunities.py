"""Opportunity registration: who may register, conflicts between partners, the vendor's
decisions, one renewal, the protection sweep, and the partner's and vendor's pages."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community import services as community_services
from community.models import Region
from partners import opportunities
from partners.models import LeadResponder, MarketplaceEvent, MarketplaceNotification, Opportunity, OpportunityConflict
from partners.tasks import opportunities_sweep
from tests.factories.community import MembershipFactory, ProductFactory, UserFactory, VendorFactory
from tests.factories.roles import people_in_every_role
from tests.partners.marketplace import authorised_partner

pytestmark = pytest.mark.django_db

State = Opportunity.State
Kind = MarketplaceEvent.Kind


@pytest.fixture
def router():
    return ProductFactory(vendor=VendorFactory(name="Northwind"), name="Router", slug="router")


@pytest.fixture
def manager(router):
    user = UserFactory(full_name="Programme Manager", is_staff=True)
    community_services.vendor_staff_add(vendor=router.vendor, user=user, manager=True)
    return user


def register(partner, *products, domain="customer.example", **fields):
    values = {
        "customer_company": "Customer GmbH",
        "customer_domain": domain,
        "expected_value": Decimal("25000"),
        "close_date": date.today() + timedelta(days=60),
        "notes": "Met their CIO at the fair.",
        **fields,
    }
    return opportunities.opportunity_register(
        organisation=partner, user=partner.admin, products=list(products), **values
    )


def error_of(call) -> dict:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


# --- Eligibility -------------------------------------------------------------------------


def test_a_partner_holding_every_right_registers_pending_with_a_decision_date(router, manager):
    partner = authorised_partner(router)
    opportunity = register(partner, router, domain="  Ana@Customer.Example ")
    assert opportunity.state == State.PENDING
    assert opportunity.customer.domain == "customer.example"
    assert opportunity.customer.vendor == router.vendor
    assert abs(opportunity.decide_by - (timezone.now() + timedelta(days=5))) < timedelta(minutes=1)
    event = opportunity.events.get()
    assert event.kind == Kind.REGISTERED and event.actor == partner.admin
    assert MarketplaceNotification.objects.filter(event=event, user=manager).exists()


def test_a_partner_in_grace_may_register(router):
    partner = authorised_partner(router, status="grace")
    assert register(partner, router).state == State.PENDING


def test_a_partner_missing_one_right_may_not_register(router):
    switch = ProductFactory(vendor=router.vendor, name="Switch")
    partner = authorised_partner(router)
    errors = error_of(lambda: register(partner, router, switch))
    assert "holds no delivery right to Switch" in errors["products"][0]
    lapsed = authorised_partner(router, status="lapsed")
    assert "products" in error_of(lambda: register(lapsed, router))
    assert not Opportunity.objects.exists()


def test_products_of_two_vendors_are_refused(router):
    other = ProductFactory(name="Elsewhere")
    partner = authorised_partner(router, other)
    assert "one vendor" in error_of(lambda: register(partner, router, other))["products"][0]


@pytest.mark.parametrize(
    "junk", ["", "customer", "not a domain.example", "a@b@", "http://customer.example/x", "-x.example"]
)
def test_junk_domains_are_refused(router, junk):
    partner = authorised_partner(router)
    assert "customer_domain" in error_of(lambda: register(partner, router, domain=junk))


def test_a_past_close_date_is_refused(router):
    partner = authorised_partner(router)
    errors = error_of(lambda: register(partner, router, close_date=date.today() - timedelta(days=1)))
    assert "close_date" in errors


def test_a_partner_cannot_register_the_same_customer_twice(router):
    partner = authorised_partner(router)
    register(partner, router)
    assert "customer_domain" in error_of(lambda: register(partner, router, domain="bob@customer.example"))


# --- Conflicts ---------------------------------------------------------------------------


def test_a_second_partner_on_a_shared_product_is_a_conflict_for_both(router, manager):
    switch = ProductFactory(vendor=router.vendor, name="Switch")
    first_partner = authorised_partner(router, switch)
    second_partner = authorised_partner(router, region=Region.ASIA_PACIFIC)
    first = register(first_partner, router, switch)
    second = register(second_partner, router, domain="bob@CUSTOMER.example")
    conflict = OpportunityConflict.objects.get()
    assert (conflict.first, conflict.second) == (first, second)
    first.refresh_from_db()
    assert first.state == State.CONFLICT and second.state == State.CONFLICT
    assert first.events.filter(kind=Kind.CONFLICT).count() == 1
    assert second.events.filter(kind=Kind.CONFLICT).count() == 1
    assert MarketplaceNotification.objects.filter(user=first_partner.admin, event__kind=Kind.CONFLICT).exists()
    assert MarketplaceNotification.objects.filter(user=second_partner.admin, event__kind=Kind.CONFLICT).exists()
    assert MarketplaceNotification.objects.filter(user=manager, event__opportunity=second).exists()


def test_no_conflict_for_other_products_domains_vendors_or_closed_registrations(router, manager):
    switch = ProductFactory(vendor=router.vendor, name="Switch")
    elsewhere = ProductFactory(name="Elsewhere")
    first_partner = authorised_partner(router, elsewhere)
    second_partner = authorised_partner(router, switch, elsewhere)
    first = register(first_partner, router)
    assert register(second_partner, switch).state == State.PENDING
    assert register(second_partner, router, domain="other.example").state == State.PENDING
    register(first_partner, elsewhere)
    assert register(second_partner, elsewhere, domain="customer.example").state == State.CONFLICT
    opportunities.opportunity_reject(opportunity=first, user=manager, note="Not a real project.")
    assert register(second_partner, router).state == State.PENDING


def test_an_approved_protected_registration_conflicts_and_stays_approved(router, manager):
    first = register(authorised_partner(router), router)
    opportunities.opportunity_approve(opportunity=first, user=manager)
    second = register(authorised_partner(router), router)
    first.refresh_from_db()
    assert first.state == State.APPROVED and second.state == State.CONFLICT
    assert OpportunityConflict.objects.filter(first=first, second=second).exists()


def test_an_expired_protection_no_longer_conflicts(router, manager):
    first = register(authorised_partner(router), router)
    opportunities.opportunity_approve(opportunity=first, user=manager, now=timezone.now() - timedelta(days=91))
    assert register(authorised_partner(router), router).state == State.PENDING


# --- Decisions -------------------------------------------------------------------------------


def test_approval_protects_for_the_vendors_window(router, manager):
    partner = authorised_partner(router)
    opportunity = opportunities.opportunity_approve(opportunity=register(partner, router), user=manager)
    assert opportunity.state == State.APPROVED and opportunity.decided_by == manager
    assert opportunity.protected_until == date.today() + timedelta(days=90)
    event = opportunity.events.get(kind=Kind.APPROVED)
    assert MarketplaceNotification.objects.filter(event=event, user=partner.admin).exists()
    with pytest.raises(ValidationError):
        opportunities.opportunity_approve(opportunity=opportunity, user=manager)


def test_rejection_needs_a_note_the_partner_reads(router, manager):
    opportunity = register(authorised_partner(router), router)
    assert "note" in error_of(lambda: opportunities.opportunity_reject(opportunity=opportunity, user=manager, note=" "))
    opportunities.opportunity_reject(opportunity=opportunity, user=manager, note="Direct account.")
    opportunity.refresh_from_db()
    assert opportunity.state == State.REJECTED and opportunity.decision_note == "Direct account."
    assert opportunity.events.get(kind=Kind.REJECTED).detail["note"] == "Direct account."


@pytest.mark.parametrize("who", ["partner_admin", "author", "other_manager"])
def test_only_the_vendors_programme_managers_decide(router, who):
    partner = authorised_partner(router)
    opportunity = register(partner, router)
    author = UserFactory(is_staff=True)
    community_services.vendor_staff_add(vendor=router.vendor, user=author)
    other_manager = UserFactory(is_staff=True)
    community_services.vendor_staff_add(vendor=VendorFactory(), user=other_manager, manager=True)
    user = {"partner_admin": partner.admin, "author": author, "other_manager": other_manager}[who]
    with pytest.raises(PermissionDenied):
        opportunities.opportunity_approve(opportunity=opportunity, user=user)
    with pytest.raises(PermissionDenied):
        opportunities.opportunity_reject(opportunity=opportunity, user=user, note="No.")
    assert Opportunity.objects.get(pk=opportunity.pk).state == State.PENDING


def test_a_conflicting_registration_is_decided_as_a_conflict(router, manager):
    first = register(authorised_partner(router), router)
    second = register(authorised_partner(router), router)
    first.refresh_from_db()
    with pytest.raises(ValidationError):
        opportunities.opportunity_approve(opportunity=first, user=manager)
    conflict = OpportunityConflict.objects.get()
    opportunities.conflict_decide(conflict=conflict, winner=second, user=manager, note="They brought the customer.")
    first.refresh_from_db()
    second.refresh_from_db()
    conflict.refresh_from_db()
    assert second.state == State.APPROVED and second.protected_until == date.today() + timedelta(days=90)
    assert first.state == State.REJECTED and first.decision_note == "They brought the customer."
    assert conflict.winner == second and conflict.decided_by == manager and conflict.decided_at
    assert first.events.get(kind=Kind.REJECTED).actor == manager
    assert second.events.get(kind=Kind.APPROVED).detail["conflict"] == conflict.pk
    with pytest.raises(ValidationError):
        opportunities.conflict_decide(conflict=conflict, winner=first, user=manager)


def test_a_conflict_against_a_protected_owner_keeps_its_window(router, manager):
    first = opportunities.opportunity_approve(opportunity=register(authorised_partner(router), router), user=manager)
    second = register(authorised_partner(router), router)
    opportunities.conflict_decide(conflict=OpportunityConflict.objects.get(), winner=first, user=manager)
    first_after = Opportunity.objects.get(pk=first.pk)
    assert first_after.state == State.APPROVED and first_after.protected_until == first.protected_until
    assert Opportunity.objects.get(pk=second.pk).state == State.REJECTED


def test_rejecting_one_party_returns_the_other_to_waiting(router, manager):
    first = register(authorised_partner(router), router)
    second = register(authorised_partner(router), router)
    opportunities.opportunity_reject(opportunity=second, user=manager, note="Duplicate.")
    first.refresh_from_db()
    assert first.state == State.PENDING
    assert OpportunityConflict.objects.get().winner == first
    opportunities.opportunity_approve(opportunity=first, user=manager)


def test_the_winner_of_one_conflict_waits_while_another_is_open(router, manager):
    first = register(authorised_partner(router), router)
    second = register(authorised_partner(router), router)
    third = register(authorised_partner(router), router)
    assert OpportunityConflict.objects.filter(second=third).count() == 2
    opportunities.conflict_decide(
        conflict=OpportunityConflict.objects.get(first=first, second=third), winner=third, user=manager
    )
    third.refresh_from_db()
    assert third.state == State.CONFLICT
    opportunities.conflict_decide(
        conflict=OpportunityConflict.objects.get(first=second, second=third), winner=third, user=manager
    )
    third.refresh_from_db()
    assert third.state == State.APPROVED
    assert {Opportunity.objects.get(pk=o.pk).state for o in (first, second)} == {State.REJECTED}


def test_the_winner_must_be_a_party(router, manager):
    register(authorised_partner(router), router)
    register(authorised_partner(router), router)
    stranger = register(authorised_partner(router), router, domain="elsewhere.example")
    conflict = OpportunityConflict.objects.get()
    with pytest.raises(ValidationError):
        opportunities.conflict_decide(conflict=conflict, winner=stranger, user=manager)


# --- Renewal and expiry ------------------------------------------------------------------------


def test_protection_renews_once(router, manager):
    partner = authorised_partner(router)
    opportunity = opportunities.opportunity_approve(opportunity=register(partner, router), user=manager)
    renewed = opportunities.opportunity_renew(opportunity=opportunity, user=partner.admin)
    assert renewed.renewed and renewed.protected_until == date.today() + timedelta(days=180)
    assert renewed.events.filter(kind=Kind.PROTECTION_RENEWED).count() == 1
    with pytest.raises(ValidationError):
        opportunities.opportunity_renew(opportunity=renewed, user=partner.admin)
    assert Opportunity.objects.get(pk=opportunity.pk).protected_until == date.today() + timedelta(days=180)


def test_only_a_protected_registration_renews_and_only_by_its_parties(router, manager):
    partner = authorised_partner(router)
    pending = register(partner, router)
    with pytest.raises(ValidationError):
        opportunities.opportunity_renew(opportunity=pending, user=partner.admin)
    approved = opportunities.opportunity_approve(opportunity=pending, user=manager)
    with pytest.raises(PermissionDenied):
        opportunities.opportunity_renew(opportunity=approved, user=authorised_partner(router).admin)


def test_the_sweep_expires_ended_protection_once(router, manager):
    partner = authorised_partner(router)
    ended = opportunities.opportunity_approve(
        opportunity=register(partner, router), user=manager, now=timezone.now() - timedelta(days=91)
    )
    current = opportunities.opportunity_approve(
        opportunity=register(partner, router, domain="current.example"), user=manager
    )
    assert opportunities_sweep() == {"expired": 1}
    assert opportunities_sweep() == {"expired": 0}
    assert Opportunity.objects.get(pk=ended.pk).state == State.EXPIRED
    assert Opportunity.objects.get(pk=current.pk).state == State.APPROVED
    assert ended.events.filter(kind=Kind.PROTECTION_ENDED).count() == 1


# --- Pages -------------------------------------------------------------------------------------


def client_for(user):
    client = Client()
    if user:
        client.force_login(user)
    return client


def partner_people(router, partner):
    people = people_in_every_role(vendor=router.vendor, other_vendor=VendorFactory())
    people["own_admin"] = partner.admin
    people["own_responder"] = MembershipFactory(organisation=partner, role="engineer").user
    LeadResponder.objects.create(organisation=partner, user=people["own_responder"])
    people["own_engineer"] = MembershipFactory(organisation=partner, role="engineer").user
    people["other_admin"] = authorised_partner(router).admin
    return people


PARTNER_PAGE = {
    "anonymous": 302,
    "engineer": 403,
    "partner_admin": 404,
    "vendor_author": 403,
    "programme_manager": 403,
    "other_programme_manager": 403,
    "moderator": 403,
    "superuser": 403,
    "own_admin": 200,
    "own_responder": 200,
    "own_engineer": 403,
    "other_admin": 404,
}
VENDOR_PAGE = {
    **dict.fromkeys(PARTNER_PAGE, 403),
    "anonymous": 302,
    "programme_manager": 200,
    "superuser": 200,
    "other_programme_manager": 404,
}


def statuses(people, url):
    return {role: client_for(person).get(url).status_code for role, person in people.items()}


def test_each_role_sees_only_its_own_registrations(router):
    partner = authorised_partner(router)
    opportunity = register(partner, router)
    people = partner_people(router, partner)
    detail = statuses(people, reverse("partners:opportunity", kwargs={"pk": opportunity.pk}))
    assert detail == PARTNER_PAGE
    for name in ("opportunities", "opportunity_new"):
        listing = statuses(people, reverse(f"partners:{name}"))
        assert listing == {**PARTNER_PAGE, "partner_admin": 200, "other_admin": 200}, name
    other_list = client_for(people["other_admin"]).get(reverse("partners:opportunities")).content.decode()
    assert "Customer GmbH" not in other_list


def test_each_role_sees_only_its_vendors_registrations(router):
    partner = authorised_partner(router)
    opportunity = register(partner, router)
    people = partner_people(router, partner)
    assert statuses(people, reverse("partners:vendor_opportunity", kwargs={"pk": opportunity.pk})) == VENDOR_PAGE
    listing = statuses(people, reverse("partners:vendor_opportunities"))
    assert listing == {**VENDOR_PAGE, "other_programme_manager": 200}
    other_list = client_for(people["other_programme_manager"]).get(reverse("partners:vendor_opportunities"))
    assert "Customer GmbH" not in other_list.content.decode()


def test_only_the_vendors_managers_decide_by_url(router, manager):
    partner = authorised_partner(router)
    opportunity = register(partner, router)
    people = partner_people(router, partner)
    url = reverse("partners:vendor_opportunity_decide", kwargs={"pk": opportunity.pk})
    for role in ("own_admin", "vendor_author", "other_programme_manager", "moderator"):
        assert client_for(people[role]).post(url, {"decision": "approve"}).status_code in (403, 404), role
    assert Opportunity.objects.get(pk=opportunity.pk).state == State.PENDING
    response = client_for(manager).post(url, {"decision": "reject", "note": ""}, follow=True)
    assert "Say why the registration is rejected" in response.content.decode()
    client_for(manager).post(url, {"decision": "approve"})
    assert Opportunity.objects.get(pk=opportunity.pk).state == State.APPROVED


def test_only_the_own_partner_renews_by_url(router, manager):
    partner = authorised_partner(router)
    opportunity = opportunities.opportunity_approve(opportunity=register(partner, router), user=manager)
    url = reverse("partners:opportunity_renew", kwargs={"pk": opportunity.pk})
    assert client_for(authorised_partner(router).admin).post(url).status_code == 404
    page = client_for(partner.admin).get(reverse("partners:opportunity", kwargs={"pk": opportunity.pk}))
    assert url in page.content.decode()
    client_for(partner.admin).post(url)
    assert Opportunity.objects.get(pk=opportunity.pk).renewed
    page = client_for(partner.admin).get(reverse("partners:opportunity", kwargs={"pk": opportunity.pk}))
    assert url not in page.content.decode() and "Protection renewed until" in page.content.decode()


def test_the_form_offers_held_products_and_keeps_input_on_errors(router):
    unheld = ProductFactory(vendor=router.vendor, name="Unheld switch")
    partner = authorised_partner(router)
    client = client_for(partner.admin)
    page = client.get(reverse("partners:opportunity_new"))
    assert list(page.context["form"].fields["products"].queryset) == [router]
    data = {
        "customer_company": "<b>Customer</b> GmbH",
        "customer_domain": "not a domain",
        "products": [router.pk],
        "expected_value": "1000",
        "close_date": (date.today() + timedelta(days=9)).isoformat(),
        "notes": "Met at the fair.",
    }
    response = client.post(reverse("partners:opportunity_new"), data)
    body = response.content.decode()
    assert response.status_code == 200 and "Enter the customer&#x27;s e-mail domain" in body
    assert 'value="&lt;b&gt;Customer&lt;/b&gt; GmbH"' in body and "Met at the fair." in body
    response = client.post(reverse("partners:opportunity_new"), {**data, "products": [unheld.pk]})
    assert response.status_code == 200 and not Opportunity.objects.exists()
    response = client.post(reverse("partners:opportunity_new"), {**data, "customer_domain": "ana@customer.example"})
    opportunity = Opportunity.objects.get()
    assert response["Location"] == reverse("partners:opportunity", kwargs={"pk": opportunity.pk})
    response = client.post(reverse("partners:opportunity_new"), {**data, "customer_domain": "customer.example"})
    assert response.status_code == 200 and "already has a registration" in response.content.decode()


def test_a_conflict_shows_both_sides_to_the_vendor_and_the_outcome_to_both(router, manager):
    first_partner = authorised_partner(router, name="<i>First</i> Ltd")
    second_partner = authorised_partner(router, name="Second Ltd")
    first = register(first_partner, router, notes="<script>alert(1)</script> first evidence")
    second = register(second_partner, router, notes="second evidence", expected_value=Decimal("777"))
    page = client_for(manager).get(reverse("partners:vendor_opportunity", kwargs={"pk": second.pk}))
    body = page.content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt; first evidence" in body
    assert "second evidence" in body and "777" in body and "&lt;i&gt;First&lt;/i&gt; Ltd" in body
    assert "Decide in favour of" in body
    conflict = OpportunityConflict.objects.get()
    client_for(manager).post(
        reverse("partners:vendor_opportunity_decide", kwargs={"pk": second.pk}),
        {"decision": "conflict", "conflict": conflict.pk, "winner": first.pk, "note": "First found them."},
    )
    first_page = client_for(first_partner.admin).get(reverse("partners:opportunities")).content.decode()
    second_page = client_for(second_partner.admin).get(reverse("partners:opportunities")).content.decode()
    assert "decided in your favour" in first_page and "First found them." in first_page
    assert "decided for another partner" in second_page and "First found them." in second_page
    assert "First Ltd" not in second_page and "second evidence" not in first_page


def test_the_vendor_list_filters_by_state_region_and_product(router, manager):
    switch = ProductFactory(vendor=router.vendor, name="Switch", slug="switch")
    europe = authorised_partner(router, switch)
    asia = authorised_partner(router, switch, region=Region.ASIA_PACIFIC)
    register(europe, router, customer_company="Router Co")
    register(asia, switch, customer_company="Switch Co", domain="switch.example")
    client = client_for(manager)
    url = reverse("partners:vendor_opportunities")

    def listed(**query):
        return {o.customer_company for o in client.get(url, query).context["page"].object_list}

    assert listed() == {"Router Co", "Switch Co"}
    assert listed(product="switch") == {"Switch Co"}
    assert listed(region=Region.EUROPE) == {"Router Co"}
    assert listed(state="approved") == set()
    assert listed(state="nonsense") == {"Router Co", "Switch Co"}


@pytest.mark.parametrize("who", ["partner", "vendor"])
def test_the_lists_run_a_fixed_number_of_queries(router, manager, count_queries, who):
    partner = authorised_partner(router)
    client = client_for(partner.admin if who == "partner" else manager)
    url = reverse("partners:opportunities" if who == "partner" else "partners:vendor_opportunities")
    register(partner, router)
    client.get(url)
    with count_queries() as one:
        client.get(url)
    for n in range(4):
        register(partner, router, domain=f"c{n}.example")
        register(authorised_partner(router), router, domain=f"c{n}.example")
    with count_queries() as more:
        assert len(client.get(url).context["page"].object_list) == (5 if who == "partner" else 9)
    assert len(more) == len(one), more.sql()


def test_the_leads_page_links_the_registrations(router):
    partner = authorised_partner(router)
    body = client_for(partner.admin).get(reverse("partners:leads")).content.decode()
    assert reverse("partners:opportunities") in body and "Registered opportunities" in body
