"""My certificates (/certificates/) and the PDF download (/certificates/<serial>/pdf/): who may see
and download what, what each certificate offers (download, verification, share, LinkedIn, renewal),
and a query count that does not grow with certificates."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from certifications.models import Certificate
from community import services as community_services
from tests.factories import certifications as cert_factories
from tests.factories.community import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% the stored certificate\n"
MY_CERTIFICATES = reverse("certifications:my_certificates")


def _with_pdf(certificate: Certificate) -> Certificate:
    certificate.pdf.save(f"{certificate.serial}.pdf", ContentFile(PDF), save=False)
    certificate.pdf_rendered_at = timezone.now()
    certificate.save(update_fields=["pdf", "pdf_rendered_at"])
    return certificate


@pytest.fixture
def held(organisation, engineer):
    """The engineer's certificate (PDF stored), certified in their organisation."""
    page = cert_factories.certification(title="Cloud Architect Professional")
    return _with_pdf(cert_factories.certificate(holder=engineer, certification_page=page))


def _pdf_url(certificate):
    return reverse("certifications:certificate_pdf", args=[certificate.serial])


def _staff(vendor, *, manager=False):
    person = UserFactory(is_staff=True)
    community_services.vendor_staff_add(vendor=vendor, user=person, manager=manager)
    return person


# --- My certificates ------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(MY_CERTIFICATES)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_engineer_sees_their_certificate_with_download_verification_share_and_linkedin(client, engineer, held):
    client.force_login(engineer)
    body = client.get(MY_CERTIFICATES).content.decode()
    assert "Cloud Architect Professional" in body
    assert held.serial in body
    assert _pdf_url(held) in body
    assert f"/verify/{held.serial}/" in body
    assert f'value="{settings.SITE_URL}/verify/{held.serial}/"' in body  # share link to copy
    assert "Add to LinkedIn profile" in body
    assert "Valid" in body


def test_linkedin_link_fills_in_the_certificate(client, engineer, held):
    from certifications.certificates.selectors import linkedin_add_url

    url = linkedin_add_url(held)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://www.linkedin.com/profile/add"
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert query == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Cloud Architect Professional",
        "organizationName": held.vendor_name,
        "issueYear": str(held.issued_on.year),
        "issueMonth": str(held.issued_on.month),
        "expirationYear": str(held.expires_on.year),
        "expirationMonth": str(held.expires_on.month),
        "certUrl": f"{settings.SITE_URL}/verify/{held.serial}/",
        "certId": held.serial,
    }
    client.force_login(engineer)
    assert url.replace("&", "&amp;") in client.get(MY_CERTIFICATES).content.decode()


def test_other_people_never_see_someone_elses_certificates(client, held):
    client.force_login(UserFactory())
    body = client.get(MY_CERTIFICATES).content.decode()
    assert held.serial not in body
    assert "You do not hold a certificate yet." in body


def test_a_pdf_not_rendered_yet_says_it_is_being_prepared(client, engineer):
    pending = cert_factories.certificate(holder=engineer)
    client.force_login(engineer)
    body = client.get(MY_CERTIFICATES).content.decode()
    assert "being prepared" in body
    assert _pdf_url(pending) not in body
    response = client.get(_pdf_url(pending))
    assert response.status_code == 202
    assert "being prepared" in response.content.decode()


def test_statuses_revoked_expired_and_renewal_hint(client, engineer):
    today = timezone.localdate()
    page = cert_factories.certification(renewal_window_days=90)
    renewable = _with_pdf(
        cert_factories.certificate(holder=engineer, certification_page=page, expires_on=today + timedelta(days=45))
    )
    lapsed = cert_factories.certificate(holder=engineer, expires_on=today - timedelta(days=2))  # not swept yet
    revoked = _with_pdf(
        cert_factories.certificate(
            holder=engineer, status="revoked", revocation_reason=Certificate.RevocationReason.HOLDER_REQUEST
        )
    )
    client.force_login(engineer)
    body = client.get(MY_CERTIFICATES).content.decode()
    assert "Renewal is open" in body and page.url in body
    assert "Expiring soon" in body
    assert "cert-card cert-expired" in body and lapsed.serial in body
    assert "At the holder&#x27;s request" in body or "At the holder's request" in body
    assert _pdf_url(revoked) not in body  # a revoked certificate is not offered for download
    assert _pdf_url(renewable) in body


def test_no_renewal_hint_once_renewed_or_before_the_window(client, engineer):
    today = timezone.localdate()
    page = cert_factories.certification(renewal_window_days=30)
    old = cert_factories.certificate(holder=engineer, certification_page=page, expires_on=today + timedelta(days=20))
    cert_factories.certificate(
        holder=engineer, certification_page=page, expires_on=today + timedelta(days=700), renews=old
    )
    cert_factories.certificate(
        holder=engineer, expires_on=today + timedelta(days=45)
    )  # window of 90 opens at 90 days: open
    far = cert_factories.certification(renewal_window_days=10)
    cert_factories.certificate(holder=engineer, certification_page=far, expires_on=today + timedelta(days=40))
    client.force_login(engineer)
    body = client.get(MY_CERTIFICATES).content.decode()
    assert body.count("Renewal is open") == 1
    assert "Renewed by" in body


def test_account_navigation_and_header_link_to_my_certificates(client, engineer):
    client.force_login(engineer)
    body = client.get(reverse("community:profile")).content.decode()
    assert body.count(f'href="{MY_CERTIFICATES}"') >= 2


def test_printed_names_are_escaped(client):
    holder = UserFactory(full_name="<script>x</script>")
    certificate = cert_factories.certificate(holder=holder)
    Certificate.objects.filter(pk=certificate.pk).update(certification_title="<b>Bold</b>")
    client.force_login(holder)
    body = client.get(MY_CERTIFICATES).content.decode()
    assert "<b>Bold</b>" not in body and "&lt;b&gt;Bold&lt;/b&gt;" in body


def test_query_count_does_not_grow_with_certificates(client, engineer, count_queries):
    today = timezone.localdate()
    page = cert_factories.certification(renewal_window_days=90)

    def add(n):
        for i in range(n):
            cert_factories.certificate(
                holder=engineer,
                certification_page=page,
                expires_on=today + timedelta(days=10 + 40 * i),
                status=["valid", "expired", "revoked"][i % 3],
            )

    client.force_login(engineer)
    add(5)
    client.get(MY_CERTIFICATES)
    with count_queries() as few:
        assert client.get(MY_CERTIFICATES).status_code == 200
    add(45)
    with count_queries() as many:
        assert client.get(MY_CERTIFICATES).status_code == 200
    assert len(many) == len(few), many.sql()


# --- Download -------------------------------------------------------------------------------


def test_holder_downloads_the_stored_file_as_an_attachment(client, engineer, held, monkeypatch):
    from certifications.certificates import issuing, pdf

    def never(*args, **kwargs):
        raise AssertionError("downloading must not render")

    monkeypatch.setattr(pdf, "certificate_pdf_render", never)
    monkeypatch.setattr(issuing, "certificate_pdf_render", never)
    client.force_login(engineer)
    response = client.get(_pdf_url(held))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="cloud-architect-professional-{held.serial}.pdf"'
    assert b"".join(response.streaming_content) == PDF


def test_anonymous_download_is_sent_to_sign_in(client, held):
    response = client.get(_pdf_url(held))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("other_engineer", False),
        ("partner_admin", True),
        ("other_org_admin", False),
        ("vendor_staff", False),
        ("programme_manager", True),
        ("other_vendor_staff", False),
    ],
)
def test_who_may_download(client, organisation, partner_admin, held, who, allowed):
    person = {
        "other_engineer": lambda: MembershipFactory(organisation=organisation).user,
        "partner_admin": lambda: partner_admin,
        "other_org_admin": lambda: MembershipFactory(organisation=OrganisationFactory(), role="admin").user,
        "vendor_staff": lambda: _staff(held.vendor),
        "programme_manager": lambda: _staff(held.vendor, manager=True),
        "other_vendor_staff": lambda: _staff(cert_factories.certification().vendor),
    }[who]()
    client.force_login(person)
    assert client.get(_pdf_url(held)).status_code == (200 if allowed else 404)


def test_a_partner_admin_loses_access_when_the_engineer_leaves(client, organisation, partner_admin, engineer, held):
    from community.models import Membership

    Membership.objects.filter(user=engineer).update(left_at=timezone.now())
    client.force_login(partner_admin)
    assert client.get(_pdf_url(held)).status_code == 404
    client.force_login(engineer)
    assert client.get(_pdf_url(held)).status_code == 200  # the certificate stays with the person


def test_a_revoked_certificate_is_downloadable_by_its_programme_managers_only(client, engineer, partner_admin, held):
    Certificate.objects.filter(pk=held.pk).update(status="revoked", revoked_at=timezone.now())
    for person in (engineer, partner_admin):
        client.force_login(person)
        assert client.get(_pdf_url(held)).status_code == 404
    client.force_login(_staff(held.vendor, manager=True))
    assert client.get(_pdf_url(held)).status_code == 200


def test_unknown_serial_is_404(client, engineer):
    client.force_login(engineer)
    assert client.get(reverse("certifications:certificate_pdf", args=["PA-0000-0000-0000"])).status_code == 404
