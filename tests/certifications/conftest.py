import pytest

from tests.factories import certifications as factories
from tests.factories.community import ProductFactory, VendorFactory


@pytest.fixture
def certification_page():
    vendor = VendorFactory(name="Northwind Networks")
    certification = factories.certification(vendor=vendor, title="Certified SD-WAN Engineer")
    certification.products.set([ProductFactory(vendor=vendor, name="Northwind SD-WAN")])
    return certification
