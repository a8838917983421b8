"""Wagtail snippet choosers list only the rows the person may manage."""

import pytest

from community import services
from tests.factories.community import ProductFactory, UserFactory, VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendors():
    return VendorFactory(name="Own Vendor"), VendorFactory(name="Rival Vendor")


@pytest.fixture
def staff_client(client, vendors):
    staff = UserFactory(is_staff=True)
    services.vendor_staff_add(vendor=vendors[0], user=staff)
    client.force_login(staff)
    return client


@pytest.mark.parametrize("path", ["", "results/", "results/?q=product"])
def test_product_chooser_lists_only_the_staff_members_vendors(staff_client, vendors, path):
    ProductFactory(vendor=vendors[0], name="Own product")
    ProductFactory(vendor=vendors[1], name="Rival product")
    response = staff_client.get(f"/admin/snippets/choose/community/product/{path}")
    assert response.status_code == 200
    assert b"Own product" in response.content
    assert b"Rival product" not in response.content


def test_superuser_chooser_lists_every_vendors_products(client, vendors):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    ProductFactory(vendor=vendors[0], name="Own product")
    ProductFactory(vendor=vendors[1], name="Rival product")
    content = client.get("/admin/snippets/choose/community/product/").content
    assert b"Own product" in content and b"Rival product" in content
