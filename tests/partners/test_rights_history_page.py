"""Each partner's page shows its rights' history as a timeline: every change with its date, cause
and counts, nothing about people, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.certifications.rights.rights_story import NIGHTLY, PASSED, record_story
from tests.certifications.rights.test_rights import engineer_with, make_rule, recompute
from tests.factories.community import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return record_story()


def _page(organisation, language=""):
    prefix = f"/{language}" if language else ""
    return Client().get(prefix + reverse("partners:partner", kwargs={"slug": organisation.slug}))


def test_the_timeline_shows_each_change_newest_first_with_cause_and_counts(story):
    response = _page(story.organisation)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rights history" in html
    history = html[html.index("Rights history") :]
    steps = ["Renewed", "Renewal pending", "Authorised again", "Lapsed", "Renewal pending", "Authorised"]
    positions = [
        history.index(f"<strong>{step}</strong>", history.index(f"<strong>{steps[i - 1]}</strong>") + 1 if i else 0)
        for i, step in enumerate(steps)
    ]
    assert positions == sorted(positions)
    for cause in ("Member joined", "Rule changed", "Certificate issued", "Grace period ended", "Certificate expired"):
        assert cause in history
    assert "until 11 May 2025" in history and "until 15 Apr 2025" in history
    assert "0 of 1 certified engineer needed" in history and "1 of 1 certified engineer needed" in history
    assert f'datetime="{NIGHTLY.isoformat()}"' in history
    assert f'datetime="{PASSED.date().isoformat()}T09:10:00+00:00">5 Mar 2025</time>' in history


def test_the_timeline_names_no_people_and_no_certificates(story):
    html = _page(story.organisation).content.decode()
    for certificate in story.certificates.values():
        assert certificate.serial not in html and certificate.holder.email not in html
    assert "Alice Example" not in html and "Bob Example" not in html


def test_the_timeline_is_in_simplified_chinese(story):
    html = _page(story.organisation, "zh-hans").content.decode()
    assert "交付权历史" in html and "已续期" in html and "重新获得授权" in html and "已失效" in html


def test_a_partner_with_no_recorded_changes_shows_no_timeline(story):
    from tests.certifications.rights.test_rights import give_right
    from tests.factories.community import OrganisationFactory

    organisation = OrganisationFactory()
    give_right(organisation, story.product)
    html = _page(organisation).content.decode()
    assert "Rights history" not in html


def test_the_timeline_runs_one_query_whatever_the_history(story, count_queries):
    _page(story.organisation)
    with count_queries() as few:
        _page(story.organisation)
    for _i in range(4):
        product = ProductFactory()
        rule = make_rule(product=product, grace_days=0)
        _user, (certificate,) = engineer_with(story.organisation, rule.certifications.get())
        recompute(story.organisation, now=NIGHTLY + timedelta(days=60))
        certificate.status, certificate.revoked_at = "revoked", NIGHTLY + timedelta(days=61)
        certificate.save()
        recompute(story.organisation, now=NIGHTLY + timedelta(days=61))
    _page(story.organisation)  # the trust profile, cached again (a right changed)
    with count_queries() as many:
        response = _page(story.organisation)
    assert len(response.context["profile"].history) == 5
    assert len(many) == len(few), many.sql()
