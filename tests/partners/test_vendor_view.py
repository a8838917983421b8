"""The vendor's side of requests: its inbox of named-account requests in the admin, and its view
at /partners/vendor/ of every request, how routing went and how partners answered, with a CSV
export. Only its staff (and site administrators) see them; another vendor's request is a 404."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partners import offers, selectors_marketplace
from partners.models import (
    CustomerRequest,
    DeclineReason,
    MarketplaceNotification,
    NamedAccount,
    NamedAccountDomain,
    Offer,
)
from tests.certifications.rights.test_rights import make_rule
from tests.factories.community import ProductFactory, VendorFactory
from tests.factories.roles import people_in_every_role
from tests.partners.marketplace import authorised_partner, customer_request

pytestmark = pytest.mark.django_db

VENDOR = reverse("partners:vendor")
INBOX = reverse("partners_admin:inbox")


@pytest.fixture
def router():
    product = ProductFactory(vendor=VendorFactory(name="Northwind"), name="Router", slug="router")
    make_rule(product=product)
    return product


@pytest.fixture
def switch():
    product = ProductFactory(vendor=VendorFactory(name="Contoso"), name="Switch", slug="switch")
    make_rule(product=product)
    return product


def named(vendor, domain="named.example"):
    account = NamedAccount.objects.create(
        vendor=vendor, company="Fabrikam", owner_name="Olga Owner", owner_email="olga@northwind.example"
    )
    NamedAccountDomain.objects.create(account=account, domain=domain)
    return account


@pytest.fixture
def world(router, switch, django_capture_on_commit_callbacks):
    """Northwind: a request one partner declined and another accepted, and one from a named
    account; Contoso: one request of its own."""
    first = authorised_partner(router, name="Alpha Partners")
    second = authorised_partner(router, name="Beta Partners")
    named(router.vendor)
    with django_capture_on_commit_callbacks(execute=True):
        routed = customer_request(router, company="Routed <b>GmbH</b>")
        by_offer = {o.organisation_id: o for o in routed.offers.all()}
        now = timezone.now()
        offers.offer_decline(
            offer_id=by_offer[first.pk].pk,
            user=first.admin,
            reason=DeclineReason.CAPACITY,
            now=now + timedelta(hours=2),
        )
        offers.offer_accept(offer_id=by_offer[second.pk].pk, user=second.admin, now=now + timedelta(hours=4))
        to_vendor = customer_request(router, company="Fabrikam AG", email="bo@named.example")
        theirs = customer_request(switch, company="Contoso customer")
    return {"routed": routed, "to_vendor": to_vendor, "theirs": theirs, "first": first, "second": second}


def people_for(world, router, switch):
    people = people_in_every_role(vendor=router.vendor, other_vendor=switch.vendor)
    people["offered_partner_admin"] = world["first"].admin
    return people


def get(person, url):
    client = Client()
    if person is not None:
        client.force_login(person)
    return client.get(url)


def test_a_named_accounts_request_goes_to_the_vendors_inbox(router, django_capture_on_commit_callbacks):
    manager = people_in_every_role(vendor=router.vendor, other_vendor=VendorFactory())["programme_manager"]
    authorised_partner(router)
    named(router.vendor)
    with django_capture_on_commit_callbacks(execute=True):
        to_vendor = customer_request(router, email="bo@named.example")
    assert to_vendor.state == CustomerRequest.State.VENDOR and not to_vendor.offers.exists()
    notice = MarketplaceNotification.objects.get(event__request=to_vendor)
    assert notice.user == manager and notice.url == INBOX
    assert "Fabrikam" in get(manager, notice.url).content.decode()


def test_each_role_sees_only_its_own_vendors_requests(world, router, switch):
    people = people_for(world, router, switch)
    urls = {
        "list": VENDOR,
        "csv": VENDOR + "?format=csv",
        "detail": reverse("partners:vendor_request", kwargs={"pk": world["routed"].pk}),
        "other_vendor": reverse("partners:vendor_request", kwargs={"pk": world["theirs"].pk}),
        "inbox": INBOX,
    }
    seen = {role: {name: get(person, url).status_code for name, url in urls.items()} for role, person in people.items()}
    nobody = {"list": 404, "csv": 404, "detail": 404, "other_vendor": 404, "inbox": 404}
    staff = {"list": 200, "csv": 200, "detail": 200, "other_vendor": 404, "inbox": 200}
    assert seen == {
        "anonymous": {"list": 302, "csv": 302, "detail": 302, "other_vendor": 302, "inbox": 302},
        "engineer": {**nobody, "inbox": 302},
        "partner_admin": {**nobody, "inbox": 302},
        "vendor_author": staff,
        "programme_manager": staff,
        "other_programme_manager": {"list": 200, "csv": 200, "detail": 404, "other_vendor": 200, "inbox": 200},
        "moderator": nobody,
        "superuser": {**staff, "other_vendor": 200},
        "offered_partner_admin": {**nobody, "inbox": 302},
    }


def test_the_list_shows_routing_outcomes_and_summaries(world, router, switch):
    people = people_for(world, router, switch)
    body = get(people["programme_manager"], VENDOR).content.decode()
    assert "Routed &lt;b&gt;GmbH&lt;/b&gt;" in body and "Routed <b>" not in body
    assert "Fabrikam AG" in body and "Contoso customer" not in body
    assert "Alpha Partners" in body and "No capacity right now" in body and "after 2" in body
    assert "Beta Partners" in body and "after 4" in body
    assert "Named account Fabrikam" in body
    assert "3.0 h" in body  # median of 2 h and 4 h


def test_the_summary_is_counted_in_the_database(world, router, django_assert_num_queries):
    """Figures over the Northwind requests: two answered offers (declined after 2 h, accepted
    after 4 h); a third answer after 9 h makes the median the middle one and the mean 5 h."""
    third = authorised_partner(router, name="Gamma Partners")
    routed = world["routed"]
    now = timezone.now()
    Offer.objects.create(
        request=routed,
        organisation=third,
        offered_at=now,
        respond_by=now + timedelta(days=2),
        state=Offer.State.DECLINED,
        decline_reason=DeclineReason.CAPACITY,
        responded_at=now + timedelta(hours=9),
    )
    requests = selectors_marketplace.vendor_requests(vendor_ids=[router.vendor_id])
    with django_assert_num_queries(3):
        summary = selectors_marketplace.vendor_request_summary(requests=requests)
    assert (summary.requests, summary.offers, summary.answered, summary.accepted) == (2, 3, 3, 1)
    # The fixture's offers were made a few milliseconds before its `now`.
    assert round(summary.median_answer.total_seconds()) == 4 * 3600
    assert round(summary.mean_answer.total_seconds()) == 5 * 3600
    assert summary.decline_reasons == [(DeclineReason.CAPACITY.label, 2)]
    assert dict(summary.by_offer_state)[Offer.State.DECLINED.label] == 2
    summary = selectors_marketplace.vendor_request_summary(requests=requests.filter(state="nonsense"))
    assert (summary.requests, summary.answered, summary.median_answer, summary.mean_answer) == (0, 0, None, None)


def test_filters_narrow_the_list_and_a_bad_value_is_an_error(world, router, switch):
    manager = people_for(world, router, switch)["programme_manager"]
    body = get(manager, VENDOR + "?state=vendor").content.decode()
    assert "Fabrikam AG" in body and "Routed" not in body
    body = get(manager, VENDOR + "?region=apac").content.decode()
    assert "No request matches." in body
    response = get(manager, VENDOR + "?product=switch&state=nonsense")
    body = response.content.decode()
    assert response.status_code == 200 and "Select a valid choice" in body
    assert "Contoso customer" not in body and "Fabrikam AG" in body


def test_the_detail_page_has_every_step(world, router, switch):
    manager = people_for(world, router, switch)["programme_manager"]
    body = get(manager, reverse("partners:vendor_request", kwargs={"pk": world["routed"].pk})).content.decode()
    assert "Alpha Partners declined: no capacity right now." in body
    assert "Beta Partners accepted and will contact you." in body
    assert "ana@customer.example" in body


def test_the_csv_export_is_streamed_and_scoped(world, router, switch):
    manager = people_for(world, router, switch)["programme_manager"]
    response = get(manager, VENDOR + "?format=csv")
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row["company"]: row for row in csv.DictReader(io.StringIO(text))}
    assert set(rows) == {"Routed <b>GmbH</b>", "Fabrikam AG"}
    routed = rows["Routed <b>GmbH</b>"]
    assert routed["accepted_by"] == "Beta Partners" and routed["declined"] == "Alpha Partners: capacity"
    assert routed["first_answer_hours"] == "2.0" and routed["offers"] == "2"
    assert rows["Fabrikam AG"]["named_account"] == "Fabrikam" and rows["Fabrikam AG"]["state"] == "vendor"
    filtered = b"".join(get(manager, VENDOR + "?format=csv&state=vendor").streaming_content).decode("utf-8-sig")
    assert "Fabrikam AG" in filtered and "Routed" not in filtered


def test_a_formula_in_a_customers_company_is_not_run_by_a_spreadsheet(router, django_capture_on_commit_callbacks):
    authorised_partner(router)
    with django_capture_on_commit_callbacks(execute=True):
        customer_request(router, company="=HYPERLINK(1)")
    manager = people_in_every_role(vendor=router.vendor, other_vendor=VendorFactory())["programme_manager"]
    text = b"".join(get(manager, VENDOR + "?format=csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_the_inbox_lists_only_named_account_requests(world, router, switch):
    body = get(people_for(world, router, switch)["vendor_author"], INBOX).content.decode()
    assert "Fabrikam AG" in body and "Olga Owner" in body and "Routed" not in body


def test_the_lists_run_a_constant_number_of_queries(router, count_queries, django_capture_on_commit_callbacks):
    manager = people_in_every_role(vendor=router.vendor, other_vendor=VendorFactory())["programme_manager"]
    named(router.vendor)
    partners = [authorised_partner(router) for _ in range(3)]
    client = Client()
    client.force_login(manager)

    def add_requests(n):
        with django_capture_on_commit_callbacks(execute=True):
            for i in range(n):
                customer_request(router, email=f"c{i}@named.example" if i % 2 else f"c{i}@open{i}.example")

    def counts():
        result = []
        for url in (VENDOR, INBOX, VENDOR + "?format=csv"):
            with count_queries() as queries:
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
            result.append(len(queries))
        return result

    add_requests(2)
    counts()  # the first page of the session reads what later pages find cached
    add_requests(1)  # the vendor's cached results are orphaned
    few, few_cached = counts(), counts()
    add_requests(6)
    assert (counts(), counts()) == (few, few_cached)
    assert few_cached[0] < few[0]
    assert partners


def test_cached_results_follow_every_change_and_stay_with_their_vendor(world, router, switch):
    people = people_for(world, router, switch)
    manager, other = people["programme_manager"], people["other_programme_manager"]
    assert "Routed &lt;b&gt;GmbH&lt;/b&gt;" in get(manager, VENDOR).content.decode()
    assert "Routed" not in get(other, VENDOR).content.decode()  # same query, the other vendor's own
    with_new = customer_request(router, company="Newcomer Ltd")
    body = get(manager, VENDOR).content.decode()
    assert "Newcomer Ltd" in body and "3 requests" in body
    offer = with_new.offers.first()
    offers.offer_accept(offer_id=offer.pk, user=offer.organisation.memberships.first().user)
    assert "Newcomer Ltd" in get(manager, VENDOR + "?state=accepted").content.decode()
    world["second"].name = "Beta Renamed"
    world["second"].save()
    assert "Beta Renamed" in get(manager, VENDOR).content.decode()
