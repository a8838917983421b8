"""The forecast on the pages: the partner admin's rights page shows its own organisation's rights
at risk with who must recertify and a link to the exam; the programme dashboard counts forecast
lapses by region and product and drills down to the partners. Who may see each, and query counts
that do not grow with the data."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certifications.rights import services
from tests.certifications.rights.test_rights import make_rule
from tests.factories import certifications as cert_factories
from tests.factories.community import MembershipFactory, OrganisationFactory, ProductFactory, VendorFactory
from tests.factories.roles import PROGRAMME_MANAGERS, people_in_every_role
from tests.roles import Case, assert_exactly_the_allowed_roles, shows

pytestmark = pytest.mark.django_db

DRILL = reverse("programme_forecast")


@pytest.fixture
def world():
    vendor = VendorFactory(name="Nimbus")
    product = ProductFactory(vendor=vendor, name="Edge Router", slug="edge-router")
    certification = cert_factories.certification(vendor=vendor, title="Edge Associate")
    make_rule(product=product, certifications=[certification], min_engineers=2, grace_days=30)
    people = people_in_every_role(vendor=vendor, other_vendor=VendorFactory(name="Rival Vendor"))
    organisation = people["partner_admin"].memberships.get().organisation
    organisation.name, organisation.region = "Contoso Networks", "eu"
    organisation.save(update_fields=["name", "region"])
    at_risk(organisation, certification, name="Alice Expiring")
    return {"people": people, "vendor": vendor, "product": product, "certification": certification,
            "organisation": organisation}  # fmt: skip


def at_risk(organisation, certification, *, name="Engineer"):
    """Two engineers certified, one of them until 20 days from now: at risk within 30 days."""
    today = timezone.localdate()
    for days, full_name in ((20, name), (800, "Bob Steady")):
        user = MembershipFactory(organisation=organisation, role="engineer", user__full_name=full_name).user
        cert_factories.certificate(
            holder=user,
            certification_page=certification,
            issued_on=today - timedelta(days=100),
            expires_on=today + timedelta(days=days),
        )
    services.rights_recompute_organisation(organisation_id=organisation.pk, cause="recheck")


def gap_url(organisation) -> str:
    return reverse("certifications:gap", kwargs={"slug": organisation.slug})


def test_only_the_organisations_own_admin_sees_its_forecast(world):
    case = Case("get", lambda w: gap_url(w["organisation"]), shows(lambda w: "Alice Expiring"), {"partner_admin"})
    assert_exactly_the_allowed_roles(world, case)
    other_admin = MembershipFactory(role="admin").user
    client = Client()
    client.force_login(other_admin)
    assert client.get(gap_url(world["organisation"])).status_code == 404


def test_the_rights_page_names_who_must_recertify_and_links_the_exam(world):
    client = Client()
    client.force_login(world["people"]["partner_admin"])
    response = client.get(gap_url(world["organisation"]))
    html = response.content.decode()
    assert "Rights at risk" in html and "Next 30 days" in html
    [(_w30, rows30), (_w60, rows60), (_w90, rows90)] = response.context["forecast"]
    assert [row.product for row in rows30] == [world["product"]] and rows60 == rows90 == []
    forecast = html.split('id="forecast-heading"')[1].split('class="gap-vendor"')[0]
    assert "Alice Expiring" in forecast and "Bob Steady" not in forecast  # Bob stays certified
    assert f'href="{world["certification"].url}"' in html and "Exam: Edge Associate" in html


def test_the_rights_page_query_count_does_not_grow_with_the_rights_at_risk(world, count_queries):
    client = Client()
    client.force_login(world["people"]["partner_admin"])
    url = gap_url(world["organisation"])
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for index in range(3):
        product = ProductFactory(vendor=world["vendor"], name=f"Switch {index}")
        certification = cert_factories.certification(vendor=world["vendor"], title=f"Switch {index} Associate")
        make_rule(product=product, certifications=[certification], min_engineers=2, grace_days=30)
        at_risk(world["organisation"], certification)
    with count_queries() as many:
        response = client.get(url)
    assert len(response.context["forecast"][0][1]) == 4
    assert len(many) == len(few), many.sql()


def drill_url(w, **params):
    params = {"vendor": w["vendor"].slug, "product": "edge-router", "region": "eu", "days": 30} | params
    return DRILL + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def test_only_the_vendors_programme_managers_see_the_partners_behind_a_lapse(world):
    case = Case("get", drill_url, shows(lambda w: "Contoso Networks"), PROGRAMME_MANAGERS)
    assert_exactly_the_allowed_roles(world, case)


def test_the_dashboard_counts_lapses_by_region_and_product_with_a_drill_down(world):
    OrganisationFactory(region="apac")  # no right, nothing forecast
    client = Client()
    client.force_login(world["people"]["programme_manager"])
    response = client.get(reverse("programme_dashboard"))
    [line] = response.context["forecast"]
    assert (line.region, line.product, line.counts) == ("eu", world["product"], [1, 1, 1])
    html = response.content.decode()
    assert "Forecast lapses" in html
    assert "product=edge-router&amp;region=eu&amp;days=30" in html
    drill = client.get(drill_url(world))
    assert "Contoso Networks" in drill.content.decode() and "Alice Expiring" in drill.content.decode()
    assert "Contoso Networks" not in client.get(drill_url(world, region="apac")).content.decode()


@pytest.mark.parametrize("params", [{"days": 45}, {"days": "soon"}, {"region": "mars"}, {"product": "nope"}])
def test_a_window_region_or_product_not_offered_is_not_found(world, params):
    client = Client()
    client.force_login(world["people"]["programme_manager"])
    assert client.get(drill_url(world, **params)).status_code == 404


def test_another_vendors_manager_cannot_drill_into_this_vendors_product(world):
    client = Client()
    client.force_login(world["people"]["other_programme_manager"])
    assert client.get(drill_url(world)).status_code == 404
    assert client.get(reverse("programme_dashboard")).context["forecast"] == []


def test_dashboard_and_drill_down_query_counts_do_not_grow_with_the_partners(world, count_queries):
    client = Client()
    client.force_login(world["people"]["programme_manager"])
    dashboard, drill = reverse("programme_dashboard"), drill_url(world)
    client.get(dashboard), client.get(drill)
    cache.clear()  # the dashboard's forecast is cached: count it cold both times
    with count_queries() as few_dashboard:
        client.get(dashboard)
    with count_queries() as few_drill:
        client.get(drill)
    for _ in range(3):
        at_risk(OrganisationFactory(region="eu"), world["certification"])
    cache.clear()
    with count_queries() as many_dashboard:
        response = client.get(dashboard)
    with count_queries() as many_drill:
        drilled = client.get(drill)
    assert response.context["forecast"][0].counts == [4, 4, 4] and len(drilled.context["rows"]) == 4
    assert len(many_dashboard) == len(few_dashboard), many_dashboard.sql()
    assert len(many_drill) == len(few_drill), many_drill.sql()
