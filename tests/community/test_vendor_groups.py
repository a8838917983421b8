"""A vendor saved anywhere (the admin included) gets its staff and programme-manager groups."""

import pytest

from community.models import Vendor


@pytest.mark.django_db
def test_a_new_vendor_gets_its_two_groups():
    vendor = Vendor.objects.create(name="Northwind Systems", slug="northwind")
    vendor.refresh_from_db()
    assert vendor.staff_group.name == "Northwind Systems staff"
    assert vendor.manager_group.name == "Northwind Systems programme managers"
    assert vendor.staff_group.permissions.exists()
