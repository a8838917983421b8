"""The vendor's figures and downloads beyond its request list: survey answers by the partner's
region and by product, and CSV exports of registrations and of survey answers, each scoped to the
vendor's own products and to the filters chosen on the page."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from community import services as community_services
from community.models import Region
from partners import engagements, opportunities
from partners.models import Opportunity
from tests.certifications.rights.test_rights import make_rule
from tests.factories.community import ProductFactory, UserFactory, VendorFactory
from tests.factories.roles import people_in_every_role
from tests.partners.marketplace import authorised_partner, engagement_for

pytestmark = pytest.mark.django_db

RESPONSES = reverse("partners:vendor_responses")
REGISTRATIONS = reverse("partners:vendor_opportunities")


@pytest.fixture
def router():
    product = ProductFactory(vendor=VendorFactory(name="Northwind"), name="Router", slug="router")
    make_rule(product=product)
    return product


@pytest.fixture
def switch(router):
    product = ProductFactory(vendor=router.vendor, name="Switch", slug="switch")
    make_rule(product=product)
    return product


@pytest.fixture
def manager(router):
    user = UserFactory(full_name="Programme Manager", is_staff=True)
    community_services.vendor_staff_add(vendor=router.vendor, user=user, manager=True)
    return user


def signed_in(user) -> Client:
    client = Client()
    if user:
        client.force_login(user)
    return client


def rated(partner, *products, satisfaction, recommend, comment="", n=[0], **fields):  # noqa: B006 (a counter)
    n[0] += 1
    engagement = engagement_for(
        partner, *products, email=f"contact{n[0]}@customer{n[0]}.example", delivered=True, **fields
    )
    return engagements.survey_answer(
        engagement_id=engagement.pk, satisfaction=satisfaction, recommend=recommend, comment=comment
    )


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def answers(router, switch):
    """Europe: three answers on the router (one comment hidden later); Asia: one on both products;
    another vendor: one answer that no Northwind figure may count."""
    europe = authorised_partner(router, switch, name="Euro Partners")
    asia = authorised_partner(router, switch, name="Asia Partners", region=Region.ASIA_PACIFIC)
    rated(europe, router, satisfaction=5, recommend=10)
    rated(europe, router, satisfaction=4, recommend=9, comment='=HYPERLINK("http://evil.example")')
    rated(europe, router, satisfaction=2, recommend=3, comment="Rude words")
    rated(asia, router, switch, satisfaction=3, recommend=7, region=Region.ASIA_PACIFIC)
    other = ProductFactory(vendor=VendorFactory(name="Contoso"), name="Firewall", slug="firewall")
    make_rule(product=other)
    rated(authorised_partner(other, name="Contoso Partner"), other, satisfaction=1, recommend=0, comment="Elsewhere")
    return {"europe": europe, "asia": asia}


def test_satisfaction_by_region_and_product_counts_every_answer_of_the_vendor(answers, manager):
    hidden = answers["europe"].satisfaction_responses.get(comment="Rude words")
    engagements.response_hide(response_id=hidden.pk, user=manager)
    tables = dict(signed_in(manager).get(RESPONSES).context["summary_tables"])
    by_region = {
        row.label: (row.responses, round(row.satisfaction, 2), row.net_promoter)
        for row in tables["By partner's region"]
    }
    # Europe: 5, 4, 2 -> 3.67; promoters 10 and 9, detractor 3 -> (2 - 1) / 3 = 33. Asia: 3, a passive 7.
    assert by_region == {str(Region.EUROPE.label): (3, 3.67, 33), str(Region.ASIA_PACIFIC.label): (1, 3.0, 0)}
    by_product = {row.label: (row.responses, round(row.satisfaction, 2)) for row in tables["By product"]}
    assert by_product == {"Router": (4, 3.5), "Switch": (1, 3.0)}


def test_the_summary_follows_the_filters(answers, manager):
    tables = dict(signed_in(manager).get(RESPONSES, {"product": "switch"}).context["summary_tables"])
    assert [(row.label, row.responses) for row in tables["By partner's region"]] == [
        (str(Region.ASIA_PACIFIC.label), 1)
    ]
    page = signed_in(manager).get(RESPONSES, {"region": "nowhere"})
    assert page.status_code == 200 and page.context["filters"].errors["region"]
    assert page.context["page"].paginator.count == 4


def test_the_survey_answers_csv_is_the_vendors_own_and_safe_to_open(answers, manager):
    rows = csv_rows(signed_in(manager).get(RESPONSES, {"format": "csv"}))
    assert {r["partner"] for r in rows} == {"Euro Partners", "Asia Partners"}
    assert "Elsewhere" not in {r["comment"] for r in rows}
    assert {r["comment"] for r in rows if r["comment"].startswith("'")} == {'\'=HYPERLINK("http://evil.example")'}
    both = next(r for r in rows if r["partner"] == "Asia Partners")
    assert both["products"] == "Router; Switch" and both["partner_region"] == Region.ASIA_PACIFIC
    assert (both["satisfaction"], both["would_recommend"]) == ("3", "7")
    asia_only = csv_rows(signed_in(manager).get(RESPONSES, {"format": "csv", "region": Region.ASIA_PACIFIC}))
    assert [r["partner"] for r in asia_only] == ["Asia Partners"]


def test_a_hidden_comment_is_marked_in_the_csv(answers, manager):
    hidden = answers["europe"].satisfaction_responses.get(comment="Rude words")
    engagements.response_hide(response_id=hidden.pk, user=manager)
    rows = {r["comment"]: r for r in csv_rows(signed_in(manager).get(RESPONSES, {"format": "csv"}))}
    assert rows["Rude words"]["comment_hidden"] and not rows[""]["comment_hidden"]


def register(partner, *products, domain, **fields):
    return opportunities.opportunity_register(
        organisation=partner,
        user=partner.admin,
        products=list(products),
        customer_company=fields.pop("company", "Customer GmbH"),
        customer_domain=domain,
        expected_value=Decimal("25000"),
        close_date=date.today() + timedelta(days=60),
        notes="",
        **fields,
    )


def test_the_registrations_csv_has_states_and_conflicts_scoped_to_the_vendor(router, switch, manager):
    first = authorised_partner(router, switch, name="First Partner")
    second = authorised_partner(router, switch, name="Second Partner", region=Region.ASIA_PACIFIC)
    register(first, router, domain="shared.example", company="Shared AG")
    register(second, router, domain="shared.example", company="Shared AG")
    approved = register(first, switch, domain="solo.example", company="Solo Ltd")
    opportunities.opportunity_approve(opportunity=approved, user=manager)
    other = ProductFactory(vendor=VendorFactory(), slug="firewall")
    register(authorised_partner(other, name="Elsewhere"), other, domain="other.example")
    rows = csv_rows(signed_in(manager).get(REGISTRATIONS, {"format": "csv"}))
    assert {r["partner"] for r in rows} == {"First Partner", "Second Partner"}
    shared = [r for r in rows if r["customer_domain"] == "shared.example"]
    assert {r["state"] for r in shared} == {"conflict"} and all(r["conflicts"].endswith(" open") for r in shared)
    solo = next(r for r in rows if r["customer_domain"] == "solo.example")
    assert solo["state"] == "approved" and solo["protected_until"] and solo["products"] == "Switch"
    assert solo["expected_value"] == "25000.00" and solo["decided"]
    in_asia = csv_rows(signed_in(manager).get(REGISTRATIONS, {"format": "csv", "region": Region.ASIA_PACIFIC}))
    assert [r["partner"] for r in in_asia] == ["Second Partner"]
    page = signed_in(manager).get(REGISTRATIONS)
    assert dict(page.context["by_state"])[Opportunity.State.CONFLICT.label] == 2


VENDOR_STAFF = {"anonymous": 302, "engineer": 403, "partner_admin": 403, "moderator": 403}


def test_each_role_gets_only_its_vendors_downloads(answers, router, manager):
    register(answers["europe"], router, domain="reg.example")
    people = people_in_every_role(vendor=router.vendor, other_vendor=VendorFactory())
    for url, expected in (
        (RESPONSES, {**VENDOR_STAFF, "vendor_author": 200, "programme_manager": 200, "other_programme_manager": 200}),
        (
            REGISTRATIONS,
            {**VENDOR_STAFF, "vendor_author": 403, "programme_manager": 200, "other_programme_manager": 200},
        ),
    ):
        seen = {role: signed_in(person).get(url, {"format": "csv"}) for role, person in people.items()}
        assert {role: r.status_code for role, r in seen.items()} == {**expected, "superuser": 200}, url
        assert len(csv_rows(seen["programme_manager"])) >= 1 and len(csv_rows(seen["superuser"])) >= 1
        assert csv_rows(seen["other_programme_manager"]) == []


def test_the_survey_answers_page_runs_a_fixed_number_of_queries(router, switch, manager, count_queries):
    partner = authorised_partner(router, switch)
    rated(partner, router, satisfaction=4, recommend=8, comment="Fine")
    client = signed_in(manager)
    client.get(RESPONSES)
    with count_queries() as one:
        client.get(RESPONSES)
    for n in range(4):
        rated(partner, router, switch, satisfaction=n + 1, recommend=n * 2, comment=f"Answer {n}")
    rated(
        authorised_partner(router, region=Region.ASIA_PACIFIC),
        router,
        satisfaction=5,
        recommend=10,
        region=Region.ASIA_PACIFIC,
    )
    with count_queries() as more:
        assert len(client.get(RESPONSES).context["page"].object_list) == 6
    assert len(more) == len(one), more.sql()
