"""The delivery-rights forecast: rights at risk in the next 30, 60 and 90 days as the engine
would decide them on the days certificates stop counting and grace periods end, with who must
recertify on which exam; read in a fixed number of queries."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from certifications.models import RightStatus
from certifications.rights import services
from certifications.rights.forecast import organisation_forecast, rights_forecast
from community import services as community_services
from tests.certifications.rights.test_rights import make_rule
from tests.factories import certifications as cert_factories
from tests.factories.community import MembershipFactory, OrganisationFactory, ProductFactory

pytestmark = pytest.mark.django_db

TODAY = date(2027, 1, 10)
NOW = timezone.make_aware(datetime(2027, 1, 10, 12))


def team(*, product, certification, expiries, organisation=None):
    """An organisation whose engineers each hold a certificate expiring on the given days, its
    rights recomputed today."""
    organisation = organisation or OrganisationFactory()
    engineers = []
    for expires_on in expiries:
        engineer = MembershipFactory(organisation=organisation, role="engineer").user
        cert_factories.certificate(
            holder=engineer, certification_page=certification, issued_on=date(2026, 1, 1), expires_on=expires_on
        )
        engineers.append(engineer)
    services.rights_recompute_organisation(organisation_id=organisation.pk, cause="recheck", now=NOW)
    return organisation, engineers


@pytest.fixture
def product():
    return ProductFactory(name="Edge Router")


@pytest.fixture
def certification(product):
    return cert_factories.certification(vendor=product.vendor, title="Edge Associate")


def test_a_certificate_expiring_puts_the_right_at_risk_that_day_and_it_lapses_after_the_grace(product, certification):
    make_rule(product=product, certifications=[certification], min_engineers=2, grace_days=30)
    organisation, (soon, later) = team(
        product=product, certification=certification, expiries=[TODAY + timedelta(days=20), date(2029, 1, 1)]
    )
    [risk] = rights_forecast(organisation_ids=[organisation.pk], now=NOW)
    assert (risk.product_id, risk.status) == (product.pk, RightStatus.ACTIVE)
    assert risk.at_risk_on == TODAY + timedelta(days=20)
    assert risk.lapses_on == TODAY + timedelta(days=50)
    assert risk.missing == 1
    assert [(r.user_id, r.certification_id, r.superseded) for r in risk.recertify] == [
        (soon.pk, certification.pk, False)
    ]
    assert risk.within(TODAY) == 30


def test_a_superseded_version_stops_counting_after_its_last_day_and_names_the_new_exam(product, certification):
    make_rule(product=product, certifications=[certification], min_engineers=1, grace_days=0)
    organisation, (holder,) = team(product=product, certification=certification, expiries=[date(2029, 1, 1)])
    new = cert_factories.certification(
        vendor=product.vendor,
        title="Edge Associate v2",
        supersedes=certification,
        supersedes_counts_until=TODAY + timedelta(days=40),
    )
    [risk] = rights_forecast(organisation_ids=[organisation.pk], now=NOW)
    assert risk.at_risk_on == risk.lapses_on == TODAY + timedelta(days=41)
    assert [(r.user_id, r.certification_id, r.superseded) for r in risk.recertify] == [(holder.pk, new.pk, True)]
    assert risk.within(TODAY) == 60


def test_an_engineer_who_left_leaves_the_right_in_grace_at_risk_today(product, certification):
    make_rule(product=product, certifications=[certification], min_engineers=2, grace_days=45)
    organisation, (stays, leaves) = team(
        product=product, certification=certification, expiries=[date(2029, 1, 1), date(2029, 1, 1)]
    )
    membership = leaves.memberships.get()
    community_services.membership_end(membership=membership)
    services.rights_recompute_organisation(organisation_id=organisation.pk, cause="recheck", now=NOW)
    [risk] = rights_forecast(organisation_ids=[organisation.pk], now=NOW)
    assert (risk.status, risk.at_risk_on, risk.lapses_on) == (RightStatus.GRACE, TODAY, TODAY + timedelta(days=45))
    assert risk.recertify == [] and risk.missing == 1


def test_a_right_safe_for_ninety_days_is_not_forecast(product, certification):
    make_rule(product=product, certifications=[certification], min_engineers=1, grace_days=30)
    organisation, _ = team(product=product, certification=certification, expiries=[TODAY + timedelta(days=91)])
    assert rights_forecast(organisation_ids=[organisation.pk], now=NOW) == []
    assert [len(rows) for _window, rows in organisation_forecast(organisation=organisation, now=NOW)] == [0, 0, 0]


def test_each_right_shows_in_the_nearest_window_its_risk_falls_in(product, certification):
    make_rule(product=product, certifications=[certification], min_engineers=1, grace_days=10)
    organisation, _ = team(product=product, certification=certification, expiries=[TODAY + timedelta(days=75)])
    windows = organisation_forecast(organisation=organisation, now=NOW)
    assert [(window, len(rows)) for window, rows in windows] == [(30, 0), (60, 0), (90, 1)]
    [row] = windows[2][1]
    assert (row.product, [e.certification for e in row.engineers]) == (product, [certification])


def test_the_forecast_for_every_organisation_reads_a_fixed_number_of_queries(product, certification, count_queries):
    make_rule(product=product, certifications=[certification], min_engineers=2, grace_days=30)

    def forecast_queries():
        with count_queries() as queries:
            risks = rights_forecast(now=NOW)
        return len(queries), len(risks)

    team(product=product, certification=certification, expiries=[TODAY + timedelta(days=5), date(2029, 1, 1)])
    few = forecast_queries()
    for _ in range(4):
        team(product=product, certification=certification, expiries=[TODAY + timedelta(days=15), date(2029, 1, 1)])
    many = forecast_queries()
    assert (few[1], many[1]) == (1, 5)
    assert few[0] == many[0] <= 6
