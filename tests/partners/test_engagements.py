"""Delivery and satisfaction: a partner's answerers mark an engagement delivered once, the
customer contact answers the survey once through the signed link, the partner replies once and
the vendor's staff hide an abusive comment, audited. Nobody sees an engagement or an answer that
is not theirs."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from partners import engagements, tokens
from partners.models import Engagement, LeadResponder, MarketplaceEvent, SatisfactionResponse
from tests.certifications.rights.test_rights import make_rule
from tests.factories.community import MembershipFactory, ProductFactory, VendorFactory
from tests.factories.roles import people_in_every_role
from tests.partners.marketplace import authorised_partner, engagement_for

pytestmark = pytest.mark.django_db

Kind = MarketplaceEvent.Kind


@pytest.fixture
def router():
    product = ProductFactory(vendor=VendorFactory(name="Northwind"), name="Router", slug="router")
    make_rule(product=product)
    return product


@pytest.fixture
def partner(router):
    return authorised_partner(router, name="Acme <i>Networks</i>")


def survey_path(engagement) -> str:
    return reverse("partners:survey", kwargs={"token": tokens.token_make(tokens.SURVEY, engagement.pk)})


def answer(engagement, **fields):
    data = {"satisfaction": 4, "recommend": 9, "comment": "Good work.", **fields}
    return engagements.survey_answer(engagement_id=engagement.pk, **data)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_marking_delivered_e_mails_the_customer_the_survey_link_once(
    router, partner, django_capture_on_commit_callbacks
):
    engagement = engagement_for(partner, router)
    mail.outbox.clear()
    client = signed_in(partner.admin)
    deliver = reverse("partners:engagement_deliver", kwargs={"pk": engagement.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(deliver).status_code == 302
    engagement.refresh_from_db()
    assert engagement.delivered_at and engagement.delivered_by == partner.admin and engagement.survey_sent_at
    assert [m.to for m in mail.outbox] == [["ana@customer.example"]]
    link = re.search(r"http\S+/partners/survey/\S+/", mail.outbox[0].body).group(0)
    assert link.endswith(survey_path(engagement))
    assert "Acme <i>Networks</i> marked the work delivered." in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(deliver, follow=True)
    assert "already marked delivered" in response.content.decode()
    assert len(mail.outbox) == 1
    assert MarketplaceEvent.objects.filter(kind=Kind.DELIVERED, engagement=engagement).count() == 1


def test_the_survey_is_answered_once_and_then_says_so(router, partner):
    engagement = engagement_for(partner, router, delivered=True)
    path = survey_path(engagement)
    page = Client().get(path)
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex"
    assert 'name="satisfaction"' in page.content.decode()
    response = Client().post(path, {"satisfaction": "5", "recommend": "10", "comment": "Great."}, follow=True)
    assert "Thank you: your answer is recorded." in response.content.decode()
    stored = SatisfactionResponse.objects.get()
    assert (stored.satisfaction, stored.recommend, stored.comment, stored.organisation) == (5, 10, "Great.", partner)
    again = Client().post(path, {"satisfaction": "1", "recommend": "0", "comment": "Changed my mind."}, follow=True)
    assert "already answered" in again.content.decode() and 'name="satisfaction"' not in again.content.decode()
    assert "already answered" in Client().get(path).content.decode()
    assert SatisfactionResponse.objects.get().satisfaction == 5
    assert MarketplaceEvent.objects.filter(kind=Kind.SURVEY_ANSWERED).count() == 1


def test_a_second_answer_is_refused_by_the_service_too(router, partner):
    engagement = engagement_for(partner, router, delivered=True)
    answer(engagement)
    with pytest.raises(engagements.EngagementClosed):
        answer(engagement, satisfaction=1)
    assert SatisfactionResponse.objects.count() == 1


def test_no_survey_before_delivery_nor_without_the_signed_token(router, partner):
    engagement = engagement_for(partner, router)
    assert Client().get(survey_path(engagement)).status_code == 404
    assert Client().post(survey_path(engagement), {"satisfaction": "5", "recommend": "10"}).status_code == 404
    with pytest.raises(engagements.EngagementClosed):
        answer(engagement)
    engagements.engagement_deliver(engagement_id=engagement.pk, user=partner.admin)
    forged = reverse("partners:survey", kwargs={"token": f"{engagement.pk}:forged"})
    other_purpose = reverse("partners:survey", kwargs={"token": tokens.token_make(tokens.FOLLOW, engagement.pk)})
    assert Client().get(forged).status_code == 404
    assert Client().get(other_purpose).status_code == 404
    assert Client().post(forged, {"satisfaction": "5", "recommend": "10"}).status_code == 404
    assert not SatisfactionResponse.objects.exists()


def test_bad_survey_input_gets_a_message_and_keeps_what_was_typed(router, partner):
    engagement = engagement_for(partner, router, delivered=True)
    response = Client().post(
        survey_path(engagement), {"satisfaction": "9", "recommend": "", "comment": "Quick <b>and</b> kind."}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice." in body and "from 0 to 10" in body
    assert "Quick &lt;b&gt;and&lt;/b&gt; kind." in body
    assert not SatisfactionResponse.objects.exists()


def test_the_partner_replies_once_to_a_comment(router, partner, django_capture_on_commit_callbacks):
    engagement = engagement_for(partner, router, delivered=True)
    answer(engagement, comment="Late <script>alert(1)</script>")
    client = signed_in(partner.admin)
    page = client.get(reverse("partners:engagement", kwargs={"pk": engagement.pk})).content.decode()
    assert "<script>alert(1)</script>" not in page and "Late &lt;script&gt;alert(1)&lt;/script&gt;" in page
    reply = reverse("partners:response_reply", kwargs={"pk": engagement.pk})
    empty = client.post(reply, {"reply": "  "})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    client.post(reply, {"reply": "Sorry <b>about</b> that."})
    again = client.post(reply, {"reply": "Second reply"}, follow=True)
    assert "already replied" in again.content.decode()
    stored = SatisfactionResponse.objects.get()
    assert stored.reply == "Sorry <b>about</b> that." and stored.replied_at
    assert "Sorry &lt;b&gt;about&lt;/b&gt; that." in again.content.decode()
    assert MarketplaceEvent.objects.filter(kind=Kind.COMMENT_REPLIED, actor=partner.admin).count() == 1


def test_vendor_staff_hide_a_comment_audited_and_the_partner_is_told(router, partner):
    engagement = engagement_for(partner, router, delivered=True)
    response = answer(engagement, comment="Abusive words")
    people = people_in_every_role(vendor=router.vendor, other_vendor=VendorFactory())
    staff = people["vendor_author"]
    hide = reverse("partners:response_hide", kwargs={"pk": response.pk})
    assert signed_in(people["other_programme_manager"]).post(hide).status_code == 404
    assert signed_in(partner.admin).post(hide).status_code == 403
    listing = signed_in(staff).post(hide, follow=True).content.decode()
    assert "by Vendor Author" in listing
    response.refresh_from_db()
    assert response.hidden_by == staff and response.hidden_at
    event = MarketplaceEvent.objects.get(kind=Kind.COMMENT_HIDDEN)
    assert event.actor == staff and event.organisation == partner and event.detail == {"response": response.pk}
    assert partner.admin.marketplace_notices.filter(event=event).exists()
    assert "already hidden" in signed_in(staff).post(hide, follow=True).content.decode()
    assert MarketplaceEvent.objects.filter(kind=Kind.COMMENT_HIDDEN).count() == 1
    page = signed_in(partner.admin).get(reverse("partners:engagement", kwargs={"pk": engagement.pk}))
    assert "The vendor hid this comment" in page.content.decode() and 'name="reply"' not in page.content.decode()


def _statuses(people, method, url, data=None) -> dict[str, int]:
    seen = {}
    for role, person in people.items():
        client = Client()
        if person:
            client.force_login(person)
        seen[role] = getattr(client, method)(url, data or {}).status_code
    return seen


@pytest.fixture
def people(router, partner):
    people = people_in_every_role(vendor=router.vendor, other_vendor=VendorFactory())
    people["partner_admin"] = authorised_partner(router).admin  # another partner's admin
    people["own_admin"] = partner.admin
    people["allowed_engineer"] = MembershipFactory(organisation=partner, role="engineer").user
    LeadResponder.objects.create(organisation=partner, user=people["allowed_engineer"])
    people["own_engineer"] = MembershipFactory(organisation=partner, role="engineer").user
    return people


PARTNER_PAGE = {
    "anonymous": 302,
    "engineer": 403,
    "partner_admin": 404,
    "vendor_author": 403,
    "programme_manager": 403,
    "other_programme_manager": 403,
    "moderator": 403,
    "superuser": 403,
    "own_admin": 200,
    "allowed_engineer": 200,
    "own_engineer": 403,
}


def test_each_role_sees_only_its_own_engagements(router, partner, people):
    engagement = engagement_for(partner, router)
    assert _statuses(people, "get", reverse("partners:engagement", kwargs={"pk": engagement.pk})) == PARTNER_PAGE
    listing = _statuses(people, "get", reverse("partners:engagements"))
    assert listing == PARTNER_PAGE | {"partner_admin": 200}
    other_list = signed_in(people["partner_admin"]).get(reverse("partners:engagements")).content.decode()
    assert "Customer GmbH" not in other_list
    assert "Customer GmbH" in signed_in(partner.admin).get(reverse("partners:engagements")).content.decode()


def test_each_role_may_mark_delivered_only_its_own(router, partner, people):
    engagement = engagement_for(partner, router)
    url = reverse("partners:engagement_deliver", kwargs={"pk": engagement.pk})
    others = {role: person for role, person in people.items() if role not in {"own_admin", "allowed_engineer"}}
    assert _statuses(others, "post", url) == {role: PARTNER_PAGE[role] for role in others}
    assert not Engagement.objects.get(pk=engagement.pk).delivered_at
    assert _statuses({"allowed_engineer": people["allowed_engineer"]}, "post", url) == {"allowed_engineer": 302}
    assert Engagement.objects.get(pk=engagement.pk).delivered_by == people["allowed_engineer"]


def test_each_role_may_reply_only_to_its_own_comments(router, partner, people):
    engagement = engagement_for(partner, router, delivered=True)
    answer(engagement)
    url = reverse("partners:response_reply", kwargs={"pk": engagement.pk})
    others = {role: person for role, person in people.items() if role not in {"own_admin", "allowed_engineer"}}
    assert _statuses(others, "post", url, {"reply": "Mine"}) == {role: PARTNER_PAGE[role] for role in others}
    assert SatisfactionResponse.objects.get().reply == ""
    assert _statuses({"own_admin": partner.admin}, "post", url, {"reply": "Thanks"}) == {"own_admin": 302}


VENDOR_PAGE = {
    "anonymous": 302,
    "engineer": 403,
    "partner_admin": 403,
    "vendor_author": 200,
    "programme_manager": 200,
    "other_programme_manager": 200,
    "moderator": 403,
    "superuser": 200,
    "own_admin": 403,
    "allowed_engineer": 403,
    "own_engineer": 403,
}


def test_each_role_sees_only_its_vendors_survey_answers(router, partner, people):
    answer(engagement_for(partner, router, delivered=True), comment="Visible to Northwind only")
    url = reverse("partners:vendor_responses")
    assert _statuses(people, "get", url) == VENDOR_PAGE
    for role, shown in {"vendor_author": True, "superuser": True, "other_programme_manager": False}.items():
        assert ("Visible to Northwind only" in signed_in(people[role]).get(url).content.decode()) is shown


def test_each_role_may_hide_only_its_vendors_comments(router, partner, people):
    response = answer(engagement_for(partner, router, delivered=True))
    url = reverse("partners:response_hide", kwargs={"pk": response.pk})
    others = {role: person for role, person in people.items() if role not in {"programme_manager"}}
    expected = VENDOR_PAGE | {"vendor_author": 302, "superuser": 302, "other_programme_manager": 404}
    seen = _statuses(others, "post", url)
    assert seen == {role: expected[role] for role in others}
    response.refresh_from_db()
    assert response.hidden_by in {people["vendor_author"], people["superuser"]}


def test_the_survey_page_is_the_same_for_every_role_and_needs_only_the_link(router, partner, people):
    path = survey_path(engagement_for(partner, router, delivered=True))
    assert set(_statuses(people, "get", path).values()) == {200}


def test_the_engagement_pages_run_a_fixed_number_of_queries(router, partner, count_queries):
    client = signed_in(partner.admin)
    answer(engagement_for(partner, router, delivered=True))
    client.get(reverse("partners:engagements"))
    with count_queries() as one:
        client.get(reverse("partners:engagements"))
    for n in range(4):
        answer(engagement_for(partner, router, email=f"c{n}@other{n}.example", delivered=True))
    with count_queries() as five:
        assert len(client.get(reverse("partners:engagements")).context["page"].object_list) == 5
    assert len(five) == len(one), five.sql()
