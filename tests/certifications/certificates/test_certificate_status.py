"""One status, one look: each certificate status shows the same label and badge on every page
that shows one, through the one include."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certifications.certificates.status import CertificateStatus, certificate_status
from community import services as community_services
from tests.factories import certifications as cert_factories
from tests.factories.community import UserFactory

pytestmark = pytest.mark.django_db

# How each status is made, and what the public (verification and admin) pages show of it: they
# do not tell expiring soon apart.
CASES = {
    CertificateStatus.VALID: ({"expires_on": 400}, CertificateStatus.VALID),
    CertificateStatus.EXPIRING: ({"expires_on": 20}, CertificateStatus.VALID),
    CertificateStatus.EXPIRED: ({"status": "expired", "expires_on": -10}, CertificateStatus.EXPIRED),
    CertificateStatus.REVOKED: ({"status": "revoked", "revoked_at": True}, CertificateStatus.REVOKED),
}


def _badge(status: CertificateStatus) -> str:
    return f'<span class="badge {status.badge}">{status.label}</span>'


def _certificate(holder, *, expires_on=400, revoked_at=False, **fields):
    if revoked_at:
        fields["revoked_at"] = timezone.now()
    return cert_factories.certificate(
        holder=holder, expires_on=timezone.localdate() + timedelta(days=expires_on), **fields
    )


def test_every_status_has_its_own_label_and_a_site_badge():
    assert {status.badge for status in CertificateStatus} <= {"badge-ok", "badge-warn", "badge-danger"}
    assert len({str(status.label) for status in CertificateStatus}) == len(CertificateStatus)


def test_a_lapsed_certificate_is_expired_before_the_sweep_and_never_expiring_publicly():
    holder = UserFactory()
    lapsed = _certificate(holder, expires_on=0)
    soon = _certificate(holder, expires_on=20)
    today = timezone.localdate()
    assert certificate_status(lapsed, day=today, expiring_within_days=60) is CertificateStatus.EXPIRED
    assert certificate_status(soon, day=today) is CertificateStatus.VALID
    assert certificate_status(soon, day=today, expiring_within_days=60) is CertificateStatus.EXPIRING


@pytest.mark.parametrize("status", list(CASES))
def test_each_page_shows_the_same_label_and_badge(client, organisation, engineer, partner_admin, status):
    fields, public = CASES[status]
    certificate = _certificate(engineer, **fields)
    manager = UserFactory(is_staff=True)
    community_services.vendor_staff_add(vendor=certificate.vendor, user=manager, manager=True)
    pages = [
        (None, reverse("certifications:verify_serial", args=[certificate.serial]), public),
        (engineer, reverse("certifications:my_certificates"), status),
        (partner_admin, reverse("certifications:team_certificates", args=[organisation.slug]), status),
        (manager, reverse("certificates_admin:index"), public),
        (manager, reverse("certificates_admin:detail", args=[certificate.pk]), public),
    ]
    for person, url, shown in pages:
        client.logout()
        if person:
            client.force_login(person)
        body = client.get(url).content.decode()
        assert _badge(shown) in body, url
        others = [other for other in CertificateStatus if other is not shown]
        assert not any(_badge(other) in body for other in others), url
