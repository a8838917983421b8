"""Rights in the past, read from their events: who held a right on each day of a recorded story,
with the certificates that counted, filters, a fixed query count, and a partner's timeline."""

from datetime import date, timedelta

import pytest

from certifications.models import OrganisationDeliveryRight
from certifications.rights import history
from tests.certifications.rights.rights_story import (
    COLLEAGUE_JOINED,
    EXPIRED,
    NIGHTLY,
    PASSED,
    PASSED_AGAIN,
    RULE_CHANGED,
    Held,
    expected,
    record_story,
    story_days,
)
from tests.certifications.rights.test_rights import engineer_with, make_rule, recompute
from tests.factories.community import OrganisationFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return record_story()


def _answer(day: date, story) -> Held | None:
    events = list(
        history.rights_held_on(
            day=day, rights=OrganisationDeliveryRight.objects.filter(product=story.product), certificates=True
        )
    )
    if not events:
        return None
    (event,) = events
    assert event.right.organisation == story.organisation
    names = {certificate.pk: name for name, certificate in story.certificates.items()}
    return Held(
        event.to_status,
        event.since,
        event.grace_ends_at,
        event.certified_engineers,
        frozenset(names[c.pk] for c in event.counted),
    )


def test_every_day_of_the_story_is_answered_from_its_events(story):
    for day in story_days():
        assert _answer(day, story) == expected(day), day


def test_today_s_row_does_not_change_the_past(story):
    OrganisationDeliveryRight.objects.update(status="lapsed")
    assert _answer(PASSED.date(), story).status == "active"


def test_the_certificates_are_named_as_printed(story):
    (event,) = history.rights_held_on(day=PASSED.date(), certificates=True)
    (certificate,) = event.counted
    assert (certificate.holder_name, certificate.certification_title) == ("Alice Example", "Edge Router Associate")
    assert certificate.serial == story.certificates["first"].serial


def test_history_starts_on_the_day_of_the_first_event(story):
    assert history.rights_history_starts() == PASSED.date()


def test_no_events_no_start(db):
    assert history.rights_history_starts() is None


def test_filters_narrow_the_rights(story):
    other = OrganisationFactory(region="gc")
    product = ProductFactory()
    rule = make_rule(product=product)
    engineer_with(other, rule.certifications.get())
    recompute(other, now=COLLEAGUE_JOINED)
    day = COLLEAGUE_JOINED.date()

    def held(**filters):
        rights = OrganisationDeliveryRight.objects.filter(**filters)
        return sorted(
            (e.right.organisation.slug, e.right.product.slug) for e in history.rights_held_on(day=day, rights=rights)
        )

    everyone = held()
    assert ("berlin-net", "edge-router") in everyone and (other.slug, product.slug) in everyone
    assert held(organisation__region="gc") == [(other.slug, product.slug)]
    assert held(product=story.product) == [("berlin-net", "edge-router")]
    assert held(organisation=story.organisation, product=product) == []


def test_queries_do_not_grow_with_the_rights_or_events(story, count_queries):
    def run():
        return [list(e.counted) for e in history.rights_held_on(day=COLLEAGUE_JOINED.date(), certificates=True)]

    with count_queries() as small:
        run()
    certification = story.certificates["colleague"].certification
    for _i in range(5):
        organisation = OrganisationFactory()
        engineer_with(organisation, certification)
        engineer_with(organisation, certification)
        recompute(organisation, now=COLLEAGUE_JOINED - timedelta(days=2))
    with count_queries() as large:
        assert len(run()) == 1 + 5
    assert len(large) == len(small) == 2, large.sql()


def test_a_partner_timeline_names_each_step_with_its_cause_and_counts(story, count_queries):
    with count_queries() as queries:
        (timeline,) = history.organisation_rights_history(organisation_id=story.organisation.pk)
    queries.assert_at_most(1)
    assert timeline.product == story.product and timeline.status == "active"
    steps = [
        (e.at, e.kind, str(e.label), e.cause, e.certified_engineers, e.required_engineers) for e in timeline.entries
    ]
    assert steps == [
        (COLLEAGUE_JOINED, "renewed", "Renewed", "Member joined", 1, 1),
        (RULE_CHANGED, "grace", "Renewal pending", "Rule changed", 0, 1),
        (PASSED_AGAIN + timedelta(minutes=10), "authorised", "Authorised again", "Certificate issued", 1, 1),
        (NIGHTLY, "lapsed", "Lapsed", "Grace period ended", 0, 1),
        (EXPIRED, "grace", "Renewal pending", "Certificate expired", 0, 1),
        (PASSED + timedelta(minutes=10), "authorised", "Authorised", "Certificate issued", 1, 1),
    ]
    assert timeline.entries[1].grace_ends_at == RULE_CHANGED + timedelta(days=10)


def test_a_timeline_shows_the_newest_steps_across_products(story):
    (timeline,) = history.organisation_rights_history(organisation_id=story.organisation.pk, limit=2)
    assert [e.at for e in timeline.entries] == [COLLEAGUE_JOINED, RULE_CHANGED]
    assert history.organisation_rights_history(organisation_id=OrganisationFactory().pk) == []
