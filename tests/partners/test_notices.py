"""In-site notices: each person sees only their own, in their language, and opening the list
marks them read."""

import pytest
from django.test import Client
from django.urls import reverse

from partners.models import MarketplaceNotification
from tests.certifications.rights.test_rights import make_rule
from tests.factories.community import ProductFactory, UserFactory
from tests.partners.marketplace import authorised_partner, customer_request

pytestmark = pytest.mark.django_db

URL = reverse("partners:notices")


@pytest.fixture
def offered():
    product = ProductFactory(name="Router")
    make_rule(product=product)
    partner = authorised_partner(product, name="Acme & <Co>")
    customer_request(product, company="Customer GmbH")
    return partner


def test_the_partner_admin_sees_the_offer_and_the_list_marks_it_read(offered):
    client = Client()
    client.force_login(offered.admin)
    page = client.get(URL).content.decode()
    assert "Offered to Acme &amp; &lt;Co&gt;." in page and "New" in page
    assert reverse("partners:lead", kwargs={"pk": offered.offers.get().pk}) in page
    assert not MarketplaceNotification.objects.filter(user=offered.admin, read_at__isnull=True).exists()


def test_nobody_else_sees_them(offered):
    client = Client()
    client.force_login(UserFactory())
    assert "Offered to" not in client.get(URL).content.decode()
    assert Client().get(URL).status_code == 302


def test_notices_are_shown_in_the_readers_language(offered):
    offered.admin.preferred_language = "zh-hans"
    offered.admin.save()
    client = Client()
    client.force_login(offered.admin)
    assert "已分派给 Acme &amp; &lt;Co&gt;。" in client.get(URL, follow=True).content.decode()
