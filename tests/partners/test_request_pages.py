"""The customer's pages and the partner's leads: the form keeps what was typed, bots and floods
are stopped, links are signed, and each lead is seen and answered only by its partner's
answerers."""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from community.models import Region
from partners import tokens
from partners.models import CustomerRequest, LeadResponder, Offer
from tests.certifications.rights.test_rights import make_rule
from tests.factories.community import MembershipFactory, ProductFactory, VendorFactory
from tests.factories.roles import people_in_every_role
from tests.partners.marketplace import authorised_partner, customer_request

pytestmark = pytest.mark.django_db

NEW = reverse("partners:request_new")


@pytest.fixture
def router():
    product = ProductFactory(vendor=VendorFactory(name="Northwind"), name="Router", slug="router")
    make_rule(product=product)
    return product


def form_data(product, **changes):
    return {
        "products": [product.pk],
        "region": Region.EUROPE,
        "company": "Customer <b>GmbH</b>",
        "company_size": "50-249",
        "contact_name": "Ana Customer",
        "email": "Ana@Customer.example",
        "need": "Two offices.",
        **changes,
    }


def test_a_request_is_stored_unconfirmed_and_the_customer_gets_a_link(router, django_capture_on_commit_callbacks):
    authorised_partner(router)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(NEW, form_data(router))
    assert response.status_code == 302 and response["Location"] == reverse("partners:request_sent")
    request = CustomerRequest.objects.get()
    assert request.state == CustomerRequest.State.UNCONFIRMED and request.email == "ana@customer.example"
    assert not request.offers.exists()
    link = re.search(r"http\S+/partners/request/confirm/\S+/", mail.outbox[0].body).group(0)
    follow = Client().get(link.split("testserver")[-1].replace("http://127.0.0.1:8000", ""))
    assert follow.status_code == 302
    request.refresh_from_db()
    assert request.state == CustomerRequest.State.ROUTING and request.offers.count() == 1


def test_bad_input_gets_a_message_and_keeps_what_was_typed(router):
    other = ProductFactory(name="Other vendor's product")
    make_rule(product=other)
    response = Client().post(NEW, form_data(router, products=[router.pk, other.pk], email="not an address"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "one vendor&#x27;s products per request" in body
    assert "Enter a valid email address." in body
    assert 'value="Customer &lt;b&gt;GmbH&lt;/b&gt;"' in body
    assert "Two offices." in body
    assert not CustomerRequest.objects.exists()


def test_the_honeypot_pretends_to_accept_and_stores_nothing(router):
    response = Client().post(NEW, form_data(router, website="http://spam.example"))
    assert response.status_code == 302
    assert not CustomerRequest.objects.exists() and not mail.outbox


@override_settings(REQUEST_RATE_LIMIT_EMAIL=2, REQUEST_RATE_LIMIT_ADDRESS=0)
def test_one_address_cannot_flood_requests(router):
    client = Client()
    for _ in range(2):
        assert client.post(NEW, form_data(router)).status_code == 302
    response = client.post(NEW, form_data(router))
    assert response.status_code == 200 and "Too many requests" in response.content.decode()
    assert CustomerRequest.objects.count() == 2


def test_a_forged_or_other_purpose_token_is_refused(router):
    request = customer_request(router, confirm=False)
    follow_token = tokens.token_make(tokens.FOLLOW, request.pk)
    assert Client().get(reverse("partners:request_confirm", kwargs={"token": follow_token})).status_code == 404
    assert Client().get(reverse("partners:request_follow", kwargs={"token": "1:forged"})).status_code == 404
    request.refresh_from_db()
    assert request.state == CustomerRequest.State.UNCONFIRMED


def test_the_follow_page_shows_every_step_and_escapes_names(router):
    partner = authorised_partner(router, name="<script>x</script> Ltd")
    request = customer_request(router)
    offer = request.offers.get()
    from partners.offers import offer_decline

    offer_decline(offer_id=offer.pk, user=partner.admin, reason="capacity")
    response = Client().get(
        reverse("partners:request_follow", kwargs={"token": tokens.token_make(tokens.FOLLOW, request.pk)})
    )
    body = response.content.decode()
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
    assert "<script>x</script>" not in body and "&lt;script&gt;x&lt;/script&gt; Ltd" in body
    assert "declined: no capacity right now" in body
    assert "No authorised partner is free" in body


def test_the_form_preselects_the_partner_it_was_opened_from(router):
    partner = authorised_partner(router, slug="acme")
    response = Client().get(NEW + "?partner=acme")
    assert response.context["form"].initial["partners"] == [partner.pk]


def test_the_partner_page_and_the_directory_link_to_the_request_form(router):
    authorised_partner(router, slug="acme")
    assert NEW + "?partner=acme" in Client().get(reverse("partners:partner", kwargs={"slug": "acme"})).content.decode()
    assert NEW in Client().get(reverse("partners:directory")).content.decode()


def test_each_role_sees_and_answers_only_its_own_leads(router):
    partner = authorised_partner(router)
    request = customer_request(router)
    offer = request.offers.get()
    people = people_in_every_role(vendor=router.vendor, other_vendor=VendorFactory())
    people["offered_admin"] = partner.admin
    people["allowed_engineer"] = MembershipFactory(organisation=partner, role="engineer").user
    LeadResponder.objects.create(organisation=partner, user=people["allowed_engineer"])
    people["engineer_of_offered"] = MembershipFactory(organisation=partner, role="engineer").user
    seen = {}
    for role, person in people.items():
        client = Client()
        if person:
            client.force_login(person)
        seen[role] = client.get(reverse("partners:lead", kwargs={"pk": offer.pk})).status_code
    assert seen == {
        "anonymous": 302,
        "engineer": 403,
        "partner_admin": 404,
        "vendor_author": 403,
        "programme_manager": 403,
        "other_programme_manager": 403,
        "moderator": 403,
        "superuser": 403,
        "offered_admin": 200,
        "allowed_engineer": 200,
        "engineer_of_offered": 403,
    }


def test_another_partners_admin_cannot_answer_by_url(router):
    partner = authorised_partner(router)
    other = authorised_partner(router, region=Region.ASIA_PACIFIC)
    offer = customer_request(router).offers.get()
    client = Client()
    client.force_login(other.admin)
    assert (
        client.post(reverse("partners:lead_answer", kwargs={"pk": offer.pk}), {"answer": "accept"}).status_code == 404
    )
    assert Offer.objects.get(pk=offer.pk).state == Offer.State.PENDING
    client.force_login(partner.admin)
    client.post(reverse("partners:lead_answer", kwargs={"pk": offer.pk}), {"answer": "accept"})
    assert Offer.objects.get(pk=offer.pk).state == Offer.State.ACCEPTED
    page = client.get(reverse("partners:lead", kwargs={"pk": offer.pk})).content.decode()
    assert "ana@customer.example" in page


def test_declining_needs_a_reason(router):
    partner = authorised_partner(router)
    offer = customer_request(router).offers.get()
    client = Client()
    client.force_login(partner.admin)
    response = client.post(reverse("partners:lead_answer", kwargs={"pk": offer.pk}), {"answer": "decline"}, follow=True)
    assert "Choose why you decline." in response.content.decode()
    assert Offer.objects.get(pk=offer.pk).state == Offer.State.PENDING


def test_the_leads_page_runs_a_fixed_number_of_queries(router, count_queries):
    partner = authorised_partner(router)
    client = Client()
    client.force_login(partner.admin)
    customer_request(router)
    client.get(reverse("partners:leads"))  # warm the per-process caches (site, content types)
    with count_queries() as one:
        client.get(reverse("partners:leads"))
    for n in range(5):
        customer_request(router, email=f"c{n}@other{n}.example")
    with count_queries() as six:
        assert len(client.get(reverse("partners:leads")).context["page"].object_list) == 6
    assert len(six) == len(one), six.sql()
