"""Builders for marketplace tests: partners holding rights, confirmed requests, offers."""

from django.utils import timezone

from community.models import Region
from partners import requests
from partners.models import CustomerRequest
from tests.certifications.rights.test_rights import give_right
from tests.factories.community import MembershipFactory, OrganisationFactory


def authorised_partner(*products, region=Region.EUROPE, status="active", **fields):
    """A partner in `region` with a right to each of `products` and one admin."""
    organisation = OrganisationFactory(region=region, **fields)
    for product in products:
        give_right(organisation, product, status)
    organisation.admin = MembershipFactory(organisation=organisation, role="admin").user
    return organisation


def customer_request(*products, region=Region.EUROPE, confirm=True, email="ana@customer.example", **fields):
    fields = {
        "company": "Customer GmbH",
        "company_size": "50-249",
        "contact_name": "Ana Customer",
        "email": email,
        "need": "Roll out the product in two offices.",
        "region": region,
        **fields,
    }
    request = requests.request_submit(products=list(products), **fields)
    if confirm:
        requests.request_confirm(request_id=request.pk, now=timezone.now())
    return CustomerRequest.objects.get(pk=request.pk)


def engagement_for(partner, *products, email="ana@customer.example", delivered=False, **fields):
    """An engagement of `partner` (which holds `products`) from a request it accepted; with
    `delivered`, marked delivered by its admin."""
    from partners import engagements, offers

    offer = customer_request(*products, email=email, **fields).offers.get(organisation=partner)
    engagement = offers.offer_accept(offer_id=offer.pk, user=partner.admin)
    if delivered:
        engagement = engagements.engagement_deliver(engagement_id=engagement.pk, user=partner.admin)
    return engagement
