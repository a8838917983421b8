"""The trust profile: each figure computed as stated, the score shown only from five answers in
the last twelve months, the directory sorted by it, constant queries, and the same facts in the
API."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partners.models import Engagement, Offer, SatisfactionResponse
from partners.trust import trust_profiles
from tests.certifications.rights.test_rights import make_rule
from tests.factories.community import ProductFactory
from tests.partners.marketplace import authorised_partner, customer_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    product = ProductFactory(name="Router", slug="router")
    make_rule(product=product)
    return product


def rate(partner, *scores, days_ago=10, comment=""):
    for n, score in enumerate(scores):
        engagement = Engagement.objects.create(
            organisation=partner,
            vendor=partner.delivery_rights.first().product.vendor,
            customer_company=f"C{n}",
            contact_name="C",
            contact_email=f"c{n}@example.com",
            delivered_at=timezone.now() - timedelta(days=days_ago + 1),
        )
        SatisfactionResponse.objects.create(
            engagement=engagement,
            organisation=partner,
            satisfaction=score,
            recommend=score * 2,
            comment=comment,
            answered_at=timezone.now() - timedelta(days=days_ago),
        )


def test_the_score_shows_only_from_five_answers_in_twelve_months(product):
    partner = authorised_partner(product)
    rate(partner, 5, 4, 5, 4)
    rate(partner, 1, 1, days_ago=400)  # too old to count
    profile = trust_profiles([partner])[partner.pk]
    assert (profile.responses, profile.score, profile.delivered) == (4, None, 6)
    rate(partner, 3)
    profile = trust_profiles([partner])[partner.pk]
    assert (profile.responses, profile.score, profile.recommend) == (5, 4.2, 8.4)


def test_median_time_to_accept(product):
    partner = authorised_partner(product)
    for hours in (1, 3, 20):
        offer = customer_request(product, email=f"x{hours}@c{hours}.example").offers.get()
        Offer.objects.filter(pk=offer.pk).update(
            state="accepted", responded_at=offer.offered_at + timedelta(hours=hours)
        )
    assert trust_profiles([partner])[partner.pk].median_accept_hours == 3.0


def test_accepted_forum_answers_come_from_the_forums(product):
    partner = authorised_partner(product)
    assert trust_profiles([partner])[partner.pk].accepted_answers == 0


def test_partner_page_shows_the_figures_and_escaped_comments(product):
    partner = authorised_partner(product, slug="acme")
    rate(partner, 5, 5, 4, 4, 5, comment="<script>alert(1)</script> great")
    SatisfactionResponse.objects.filter(pk=SatisfactionResponse.objects.first().pk).update(hidden_at=timezone.now())
    page = Client().get(reverse("partners:partner", kwargs={"slug": "acme"})).content.decode()
    assert "data-trust-score>4.6</strong>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; great" in page and "<script>alert(1)" not in page
    assert page.count("&lt;script&gt;alert(1)") == 4  # the hidden comment is not shown


def test_the_directory_sorts_by_trust(product):
    low, high, unrated = (authorised_partner(product, name=n) for n in ("A low", "B high", "C unrated"))
    rate(low, 3, 3, 3, 3, 3)
    rate(high, 5, 5, 5, 5, 5)
    response = Client().get(reverse("partners:directory") + "?sort=trust")
    assert [p.name for p in response.context["page"].object_list] == ["B high", "A low", "C unrated"]
    assert "5.0</strong> / 5" in response.content.decode()


def test_the_directory_with_profiles_runs_a_fixed_number_of_queries(product, count_queries, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    rate(authorised_partner(product), 5, 4, 5, 4, 5)
    client = Client()
    client.get(reverse("partners:directory") + "?sort=trust")
    with count_queries() as one:
        client.get(reverse("partners:directory") + "?sort=trust")
    for _ in range(4):
        rate(authorised_partner(product), 4, 4, 4, 4, 4, 4)
    with count_queries() as five:
        assert len(client.get(reverse("partners:directory") + "?sort=trust").context["page"].object_list) == 5
    assert len(five) == len(one)


def test_the_api_gives_the_same_facts(product):
    partner = authorised_partner(product, slug="acme")
    rate(partner, 5, 5, 4, 4, 5)
    body = Client().get("/api/v1/partners/acme").json()
    assert body["organisation"]["slug"] == "acme" and body["rights"][0]["product"]["slug"] == "router"
    assert body["trust"] | {"years_in_programme": 0} == {
        "satisfaction": 4.6,
        "would_recommend": 9.2,
        "responses": 5,
        "engagements_delivered": 5,
        "median_hours_to_accept": None,
        "accepted_forum_answers": 0,
        "years_in_programme": 0,
    }
    assert Client().get("/api/v1/partners/nobody").status_code == 404
