"""`GET /api/v1/delivery-rights?as_of=`: the rights in force on a past day, answered from the
audit events of a recorded story for every day of it; days that cannot be answered; a fixed
query count; its place in the OpenAPI description."""

import json
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from certifications.models import OrganisationDeliveryRight
from tests.certifications.rights.rights_story import COLLEAGUE_JOINED, PASSED, expected, record_story, story_days
from tests.certifications.rights.test_rights import engineer_with, make_rule, recompute
from tests.factories.community import OrganisationFactory, ProductFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/delivery-rights"


def get(**params):
    response = Client().get(URL, params)
    return response.status_code, response.json()


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@pytest.fixture
def story():
    return record_story()


def test_every_day_of_the_story_is_answered_from_its_events(story):
    for day in story_days():
        status, body = get(as_of=day.isoformat(), product="edge-router")
        if day < PASSED.date():  # before the first record
            assert status == 400 and body["error"] == "invalid_filter", day
            assert "2025-03-05" in body["message"]
            continue
        assert status == 200, (day, body)
        assert body["as_of"] == day.isoformat()
        held = expected(day)
        if held is None:
            assert body["count"] == 0 and body["results"] == [], day
            continue
        (right,) = body["results"]
        assert right["organisation"]["slug"] == "berlin-net" and right["product"]["slug"] == "edge-router"
        answered = (
            right["status"],
            _moment(right["since"]),
            _moment(right["grace_ends_at"]),
            right["certified_engineers"],
        )
        assert answered == (held.status, held.since, held.grace_ends_at, held.engineers), day


def test_the_past_is_not_read_from_today_s_rows(story):
    OrganisationDeliveryRight.objects.update(status="lapsed", certified_engineers=9)
    status, body = get(as_of=PASSED.date().isoformat())
    assert status == 200 and body["count"] == 1
    assert body["results"][0]["status"] == "active" and body["results"][0]["certified_engineers"] == 1
    assert get()[1]["count"] == 0


def test_the_answer_names_no_people(story):
    status, body = get(as_of=COLLEAGUE_JOINED.date().isoformat())
    text = json.dumps(body)
    assert status == 200 and body["count"] == 1
    for certificate in story.certificates.values():
        assert certificate.serial not in text and certificate.holder_name not in text
        assert certificate.holder.email not in text
    assert '"id"' not in text


def test_filters_apply_to_the_past(story):
    other = OrganisationFactory(slug="gc-co", region="gc")
    product = ProductFactory(slug="cloud-vault")
    rule = make_rule(product=product)
    engineer_with(other, rule.certifications.get())
    recompute(other, now=COLLEAGUE_JOINED)
    day = COLLEAGUE_JOINED.date().isoformat()

    def slugs(**params):
        status, body = get(as_of=day, **params)
        assert status == 200
        return [(r["organisation"]["slug"], r["product"]["slug"]) for r in body["results"]]

    assert slugs() == [("berlin-net", "edge-router"), ("gc-co", "cloud-vault")]
    assert slugs(region="gc") == [("gc-co", "cloud-vault")]
    assert slugs(product="edge-router") == [("berlin-net", "edge-router")]
    assert slugs(organisation="gc-co", product="edge-router") == []
    # The day before the second partner's right began.
    assert get(as_of=(COLLEAGUE_JOINED.date() - timedelta(days=1)).isoformat(), region="gc")[1]["count"] == 0


def test_today_answers_as_the_list_without_a_date(story):
    today = get(as_of=timezone.localdate().isoformat())[1]
    now = get()[1]
    assert today["count"] == now["count"] == 1
    assert today["results"] == now["results"]
    assert now["as_of"] is None


def test_an_empty_date_means_today(story):
    status, body = get(as_of="")
    assert status == 200 and body["as_of"] is None and body["count"] == 1


def test_a_day_in_the_future_is_a_clear_400(story):
    tomorrow = timezone.localdate() + timedelta(days=1)
    status, body = get(as_of=tomorrow.isoformat())
    assert status == 400 and body["error"] == "invalid_filter"
    assert tomorrow.isoformat() in body["message"] and "future" in body["message"]


def test_before_anything_was_recorded_is_a_clear_400(db):
    status, body = get(as_of="2025-01-01")
    assert status == 400 and body["error"] == "invalid_filter" and "recorded yet" in body["message"]


@pytest.mark.parametrize("as_of", ["2025-13-01", "2025-02-30", "05/03/2025", "2025-3-5", "1741165200", "yesterday"])
def test_a_malformed_date_is_a_documented_422(story, as_of):
    status, body = get(as_of=as_of)
    assert status == 422 and body["error"] == "invalid_request"
    assert "as_of" in body["message"] and [issue["loc"] for issue in body["detail"]] == [["query", "as_of"]]


def test_queries_do_not_grow_with_the_partners_or_their_events(story, count_queries):
    day = COLLEAGUE_JOINED.date().isoformat()
    with count_queries() as small:
        assert get(as_of=day)[0] == 200
    certification = story.certificates["colleague"].certification
    for i in range(55):
        organisation = OrganisationFactory(name=f"Partner {i:02}")
        engineer_with(organisation, certification)
        recompute(organisation, now=COLLEAGUE_JOINED - timedelta(days=3))
    with count_queries() as large:
        status, body = get(as_of=day)
    assert status == 200 and body["count"] == 56 and len(body["results"]) == 50
    assert body["next"] == f"http://testserver/api/v1/delivery-rights?as_of={day}&page=2"
    assert len(large) == len(small) == 3, large.sql()  # first record, count, page


def test_described_in_openapi():
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/delivery-rights"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    as_of = parameters["as_of"]
    assert as_of["schema"]["anyOf"] == [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]
    assert not as_of.get("required")
    assert "audit events" in as_of["schema"]["description"]
    assert "as_of" in operation["description"]
