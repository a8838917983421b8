"""Collaboration requests that link to an engagement: only the engagement's own partner may link
its open work, and only people of the engagement's partners (the lead and sub-contractors that
joined) see the link, which names the customer; to everyone else the topic shows no lead."""

import pytest
from django.test import Client
from django.urls import reverse

from forums import services
from forums.models import Topic
from partners.models import EngagementPartner, LeadResponder
from tests.certifications.rights.test_rights import make_rule
from tests.factories.community import MembershipFactory, ProductFactory, VendorFactory
from tests.factories.forums import CategoryFactory
from tests.factories.roles import people_in_every_role
from tests.partners.marketplace import authorised_partner, engagement_for

pytestmark = pytest.mark.django_db

CUSTOMER = "Secret Customer GmbH"


@pytest.fixture
def router():
    product = ProductFactory(vendor=VendorFactory(name="Northwind"), name="Router", slug="router")
    make_rule(product=product)
    return product


@pytest.fixture
def lead(router):
    return authorised_partner(router, name="Lead Partners")


@pytest.fixture
def engagement(router, lead):
    return engagement_for(lead, router, company=CUSTOMER)


def signed_in(user) -> Client:
    client = Client()
    if user:
        client.force_login(user)
    return client


def new_topic(client, category, **fields):
    data = {
        "kind": "collaboration",
        "title": "Need a firewall partner",
        "body": "For a customer project.",
        "product": fields.pop("product").pk,
        "region": "eu",
        "sought": "Firewall delivery rights",
        **fields,
    }
    return client.post(reverse("forums:topic_new", kwargs={"slug": category.slug}), data)


def test_the_lead_partner_links_its_open_engagement(router, lead, engagement):
    category = CategoryFactory()
    form = signed_in(lead.admin).get(reverse("forums:topic_new", kwargs={"slug": category.slug})).context["form"]
    assert list(form.fields["engagement"].queryset) == [engagement]
    response = new_topic(signed_in(lead.admin), category, product=router, engagement=engagement.pk)
    topic = Topic.objects.get()
    assert response["Location"] == topic.get_absolute_url() and topic.engagement == engagement


def test_no_field_without_open_engagements_of_ones_own(router, lead, engagement):
    category = CategoryFactory()
    url = reverse("forums:topic_new", kwargs={"slug": category.slug})
    engineer = MembershipFactory(organisation=lead, role="engineer").user  # may not work its leads
    assert "engagement" not in signed_in(engineer).get(url).context["form"].fields
    other = authorised_partner(router, name="Other Partners")
    assert "engagement" not in signed_in(other.admin).get(url).context["form"].fields
    done = authorised_partner(router, name="Done Partners")
    engagement_for(done, router, email="b@b.example", delivered=True)
    assert "engagement" not in signed_in(done.admin).get(url).context["form"].fields


def test_another_partners_engagement_is_refused_and_the_input_kept(router, lead, engagement):
    other = authorised_partner(router, name="Other Partners")
    engagement_for(other, router, email="c@c.example")  # so the other partner has a field to post to
    response = new_topic(signed_in(other.admin), CategoryFactory(), product=router, engagement=engagement.pk)
    assert response.status_code == 200 and response.context["form"].errors["engagement"]
    assert "Need a firewall partner" in response.content.decode() and not Topic.objects.exists()


def test_the_service_refuses_a_link_the_author_may_not_make(router, lead, engagement):
    category = CategoryFactory()
    other = authorised_partner(router, name="Other Partners")
    base = {"category": category, "title": "T", "body": "B", "product": router, "region": "eu", "sought": "S"}
    with pytest.raises(services.ForumError):
        services.topic_create(author=other.admin, kind="collaboration", engagement=engagement, **base)
    with pytest.raises(services.ForumError):
        services.topic_create(author=lead.admin, kind="question", engagement=engagement, **base)
    assert not Topic.objects.exists()


def test_only_the_engagements_partners_see_the_link(router, lead, engagement):
    joined = authorised_partner(router, name="Joined Partners")
    invited = authorised_partner(router, name="Invited Partners")
    member = EngagementPartner.objects.create(
        engagement=engagement, organisation=joined, part="Firewall", state=EngagementPartner.State.ACCEPTED
    )
    EngagementPartner.objects.create(engagement=engagement, organisation=invited, part="Firewall")
    topic = services.topic_create(
        author=lead.admin, category=CategoryFactory(), kind="collaboration", title="Need a firewall partner",
        body="B", product=router, region="eu", sought="S", engagement=engagement,
    )  # fmt: skip
    people = people_in_every_role(vendor=router.vendor, other_vendor=VendorFactory())
    responder = MembershipFactory(organisation=lead, role="engineer").user
    LeadResponder.objects.create(organisation=lead, user=responder)
    people |= {
        "lead_admin": lead.admin,
        "lead_responder": responder,
        "lead_engineer": MembershipFactory(organisation=lead, role="engineer").user,
        "joined_admin": joined.admin,
        "invited_admin": invited.admin,
    }
    engagement_page = reverse("partners:engagement", kwargs={"pk": engagement.pk})
    team_page = reverse("partners:team_invitation", kwargs={"pk": member.pk})
    seen = {}
    for role, person in people.items():
        html = signed_in(person).get(topic.get_absolute_url()).content.decode()
        assert "Need a firewall partner" in html, role
        seen[role] = (CUSTOMER in html, engagement_page in html, team_page in html)
    assert seen == {
        **dict.fromkeys(people, (False, False, False)),
        "lead_admin": (True, True, False),
        "lead_responder": (True, True, False),
        "lead_engineer": (True, False, False),
        "joined_admin": (True, False, True),
    }


def test_the_topic_page_runs_a_fixed_number_of_queries_with_a_link(router, lead, engagement, count_queries):
    topic = services.topic_create(
        author=lead.admin, category=CategoryFactory(), kind="collaboration", title="T", body="B",
        product=router, region="eu", sought="S", engagement=engagement,
    )  # fmt: skip
    client = signed_in(lead.admin)
    client.get(topic.get_absolute_url())
    with count_queries() as linked:
        client.get(topic.get_absolute_url())
    topic.engagement = None
    topic.save(update_fields=["engagement"])
    with count_queries() as unlinked:
        client.get(topic.get_absolute_url())
    assert len(linked) - len(unlinked) <= 4, linked.sql()
