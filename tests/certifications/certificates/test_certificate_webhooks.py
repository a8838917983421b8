"""Issuing a certificate through the real service reaches the vendor's webhook receiver, signed
and verified with the `standardwebhooks` library; another vendor's receiver hears nothing."""

import pytest

from certifications.certificates.issuing import certificate_issue
from community.webhooks import endpoints
from tests.factories import certifications as cert_factories
from tests.factories.community import UserFactory, VendorFactory
from tests.webhook_receiver import Receiver


@pytest.mark.django_db(transaction=True)
def test_issuing_a_certificate_sends_a_verified_certificate_issued_to_its_vendor_only(settings, home_page):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    exam = cert_factories.exam(questions=2)
    vendor = exam.certification.vendor
    holder = UserFactory(full_name="Ada Lovelace", email="ada@example.com")
    with Receiver() as mine, Receiver() as theirs:
        for receiver, owner in ((mine, vendor), (theirs, VendorFactory())):
            endpoint = endpoints.endpoint_create(
                vendor=owner,
                url=receiver.url,
                description="",
                event_types=["certificate.issued"],
                enabled=True,
                user=None,
            )
            receiver.secret = endpoint.secret
        certificate = certificate_issue(attempt=cert_factories.passed_attempt(exam=exam, user=holder))
    [received] = mine.received
    assert received.verified and received.acknowledged
    assert received.payload["type"] == "certificate.issued"
    data = received.payload["data"]
    assert data["serial"] == certificate.serial and data["holder_name"] == "Ada Lovelace"
    assert data["verification_url"].endswith(f"/verify/{certificate.serial}/")
    assert "ada@example.com" not in str(received.payload)
    assert theirs.received == []
