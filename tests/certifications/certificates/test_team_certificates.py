"""Team certificates for partner admins (/organisation/<slug>/certificates/): only that
organisation's current admins, current members' certificates only, those expiring soon first,
status filters, and a query count that does not grow with certificates."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community import services as community_services
from community.models import Membership
from tests.factories import certifications as cert_factories
from tests.factories.community import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(organisation):
    return reverse("certifications:team_certificates", args=[organisation.slug])


def _staff(vendor, *, manager=False):
    person = UserFactory(is_staff=True)
    community_services.vendor_staff_add(vendor=vendor, user=person, manager=manager)
    return person


@pytest.fixture
def team(organisation, engineer):
    """Certificates of two current members and of one who left."""
    today = timezone.localdate()
    colleague = MembershipFactory(organisation=organisation, user=UserFactory(full_name="Colleague Two")).user
    leaver = MembershipFactory(organisation=organisation, user=UserFactory(full_name="Gone Person"))
    leaver.left_at = timezone.now()
    leaver.save(update_fields=["left_at"])
    return {
        "far": cert_factories.certificate(holder=engineer, expires_on=today + timedelta(days=400)),
        "soon": cert_factories.certificate(holder=colleague, expires_on=today + timedelta(days=20)),
        "sooner": cert_factories.certificate(holder=engineer, expires_on=today + timedelta(days=5)),
        "expired": cert_factories.certificate(
            holder=colleague, status="expired", expires_on=today - timedelta(days=10)
        ),
        "revoked": cert_factories.certificate(holder=colleague, status="revoked"),
        "left": cert_factories.certificate(holder=leaver.user),
        "elsewhere": cert_factories.certificate(holder=MembershipFactory().user),
    }


def test_anonymous_visitors_are_sent_to_sign_in(client, organisation):
    response = client.get(_url(organisation))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["engineer", "other_engineer", "other_org_admin", "vendor_staff", "programme_manager"])
def test_only_the_organisations_partner_admins_see_it(client, organisation, engineer, team, who):
    person = {
        "engineer": lambda: engineer,
        "other_engineer": lambda: MembershipFactory().user,
        "other_org_admin": lambda: MembershipFactory(organisation=OrganisationFactory(), role="admin").user,
        "vendor_staff": lambda: _staff(team["far"].vendor),
        "programme_manager": lambda: _staff(team["far"].vendor, manager=True),
    }[who]()
    client.force_login(person)
    assert client.get(_url(organisation)).status_code == 404


def test_a_former_admin_loses_access(client, organisation, partner_admin):
    Membership.objects.filter(user=partner_admin).update(left_at=timezone.now())
    client.force_login(partner_admin)
    assert client.get(_url(organisation)).status_code == 404


def test_partner_admin_sees_current_members_certificates_expiring_first(client, organisation, partner_admin, team):
    client.force_login(partner_admin)
    body = client.get(_url(organisation)).content.decode()
    shown = [key for key, certificate in team.items() if certificate.serial in body]
    assert sorted(shown) == sorted(["far", "soon", "sooner", "expired", "revoked"])
    order = sorted(shown, key=lambda key: body.index(team[key].serial))
    assert order[:2] == ["sooner", "soon"]
    assert "cert-row-expiring" in body
    assert "Expiring soon" in body


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("expiring", {"soon", "sooner"}),
        ("valid", {"far", "soon", "sooner"}),
        ("expired", {"expired"}),
        ("revoked", {"revoked"}),
        ("", {"far", "soon", "sooner", "expired", "revoked"}),
        ("nonsense", {"far", "soon", "sooner", "expired", "revoked"}),
    ],
)
def test_status_filter(client, organisation, partner_admin, team, status, expected):
    client.force_login(partner_admin)
    body = client.get(_url(organisation), {"status": status}).content.decode()
    assert {key for key, certificate in team.items() if certificate.serial in body} == expected


def test_filter_counts(client, organisation, partner_admin, team):
    from certifications.certificates.selectors import team_certificate_counts

    counts = team_certificate_counts(organisation=organisation)
    assert counts == {"": 5, "valid": 3, "expiring": 2, "expired": 1, "revoked": 1}


def test_an_expired_but_unswept_certificate_counts_as_expired(client, organisation, partner_admin, engineer):
    lapsed = cert_factories.certificate(holder=engineer, expires_on=timezone.localdate())
    client.force_login(partner_admin)
    assert lapsed.serial in client.get(_url(organisation), {"status": "expired"}).content.decode()
    assert lapsed.serial not in client.get(_url(organisation), {"status": "valid"}).content.decode()


def test_empty_team_says_so(client, organisation, partner_admin):
    client.force_login(partner_admin)
    assert "Nobody in your team holds a certificate yet." in client.get(_url(organisation)).content.decode()


def test_organisation_page_links_here_for_admins(client, organisation, partner_admin):
    client.force_login(partner_admin)
    assert _url(organisation) in client.get(reverse("community:organisation")).content.decode()


def test_names_are_escaped(client, organisation, partner_admin):
    member = MembershipFactory(organisation=organisation, user=UserFactory(full_name="<i>Eve</i>")).user
    cert_factories.certificate(holder=member)
    client.force_login(partner_admin)
    body = client.get(_url(organisation)).content.decode()
    assert "<i>Eve</i>" not in body and "&lt;i&gt;Eve&lt;/i&gt;" in body


def test_query_count_is_the_same_for_5_and_50_certificates(client, organisation, partner_admin, count_queries):
    today = timezone.localdate()
    page = cert_factories.certification()

    def add(n):
        for i in range(n):
            member = MembershipFactory(organisation=organisation).user
            cert_factories.certificate(
                holder=member,
                certification_page=page,
                expires_on=today + timedelta(days=5 + 30 * i),
                status=["valid", "valid", "expired", "revoked"][i % 4],
            )

    client.force_login(partner_admin)
    add(5)
    client.get(_url(organisation))
    with count_queries() as few:
        assert client.get(_url(organisation)).status_code == 200
    add(45)
    with count_queries() as many:
        assert client.get(_url(organisation)).status_code == 200
    assert len(many) == len(few), many.sql()


def test_large_teams_are_paged(client, organisation, partner_admin, monkeypatch):
    from certifications.certificates import views as views_certificates

    monkeypatch.setattr(views_certificates, "TEAM_CERTIFICATES_PER_PAGE", 2)
    for _i in range(3):
        cert_factories.certificate(holder=MembershipFactory(organisation=organisation).user)
    client.force_login(partner_admin)
    assert "Page 1 of 2" in client.get(_url(organisation)).content.decode()
    assert client.get(_url(organisation), {"page": 2}).status_code == 200
