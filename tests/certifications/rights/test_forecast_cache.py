"""The programme dashboard's cached forecast: a warm dashboard does not replay the forecast, and
every change the forecast reads (a renewal, someone leaving, a new partner at risk, a new day)
shows on the next view."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certifications.models import Certificate
from certifications.rights import forecast_cache, services
from certifications.rights.forecast import vendor_forecast
from community import services as community_services
from tests.certifications.rights.test_forecast_views import at_risk, world  # noqa: F401 (fixture)
from tests.factories import certifications as cert_factories
from tests.factories.community import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("programme_dashboard")

# The dashboard's own figures, the admin's frame and the session: none of the forecast's.
WARM_QUERIES = 26
FORECAST_QUERIES = 7  # `vendor_forecast`'s, whatever the number of partners


def _manager(world):  # noqa: F811
    client = Client()
    client.force_login(world["people"]["programme_manager"])
    return client


def _counts(client) -> list[list[int]]:
    return [line.counts for line in client.get(DASHBOARD).context["forecast"]]


def test_a_warm_dashboard_does_not_replay_the_forecast(world, count_queries, django_assert_max_num_queries):  # noqa: F811
    client = _manager(world)
    with count_queries() as cold:
        client.get(DASHBOARD)
    with count_queries() as warm:
        client.get(DASHBOARD)
    assert len(warm) <= len(cold) - FORECAST_QUERIES, warm.sql()
    for _ in range(3):
        at_risk(OrganisationFactory(region="eu"), world["certification"])
    client.get(DASHBOARD)
    with django_assert_max_num_queries(WARM_QUERIES):
        assert _counts(client) == [[4, 4, 4]]


def test_a_new_partner_at_risk_shows_on_the_next_view(world):  # noqa: F811
    client = _manager(world)
    assert _counts(client) == [[1, 1, 1]]
    at_risk(OrganisationFactory(region="eu"), world["certification"])
    assert _counts(client) == [[2, 2, 2]]


def test_a_renewal_clears_the_risk_on_the_next_view(world):  # noqa: F811
    client = _manager(world)
    assert _counts(client) == [[1, 1, 1]]
    expiring = Certificate.objects.get(holder__full_name="Alice Expiring")
    Certificate.objects.filter(pk=expiring.pk).update(expires_on=timezone.localdate() + timedelta(days=700))
    assert _counts(client) == [[1, 1, 1]]  # a bulk update sends nothing: still the cached figures
    forecast_cache.changed()  # what `certificate_changed` does after a renewal
    assert _counts(client) == []


def test_an_engineer_leaving_shows_on_the_next_view(world):  # noqa: F811
    client = _manager(world)
    steady = OrganisationFactory(region="eu")
    today = timezone.localdate()
    for _ in range(2):
        user = MembershipFactory(organisation=steady, role="engineer").user
        cert_factories.certificate(
            holder=user, certification_page=world["certification"], expires_on=today + timedelta(days=800)
        )
    services.rights_recompute_organisation(organisation_id=steady.pk, cause="recheck")
    assert _counts(client) == [[1, 1, 1]]
    community_services.membership_end(membership=steady.memberships.first())
    assert _counts(client) == [[2, 2, 2]]  # one engineer short: in grace from today


def test_a_new_day_is_a_new_forecast(world):  # noqa: F811
    now = timezone.now()
    assert forecast_cache.vendor_forecast_cached(vendor=world["vendor"], now=now)[0].counts == [1, 1, 1]
    later = now + timedelta(days=25)  # Alice's certificate has expired by then: the right is in grace
    assert forecast_cache.vendor_forecast_cached(vendor=world["vendor"], now=later) == vendor_forecast(
        vendor=world["vendor"], now=later
    )
