"""The programme dashboard: right figures for the vendor, nothing of another vendor's, who may
open it, and a query count that does not grow with the data."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certifications import services
from certifications.models import Certificate
from community import services as community_services
from courses import services as course_services
from tests.certifications.test_directory import give_right
from tests.certifications.test_rights import make_rule
from tests.factories import certifications as cf
from tests.factories import courses as build
from tests.factories.community import MembershipFactory, OrganisationFactory, ProductFactory, UserFactory, VendorFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("programme_dashboard")


def _programme(vendor, *, size: int, name: str = ""):
    """`size` of everything the dashboard counts, for `vendor`."""
    name = name or vendor.name
    certification = cf.certification(vendor=vendor, title=f"{name} Certified Engineer")
    exam = cf.exam(certification_page=certification, questions=2)
    course = build.course(academy_page=certification.get_parent().specific, lessons=1)
    product = ProductFactory(vendor=vendor, name=f"{name} Router")
    make_rule(product=product, certifications=[certification], min_engineers=2, grace_days=30)
    for n in range(size):
        engineer = MembershipFactory().user
        course_services.course_enrol(user=engineer, course=course)
        attempt = services.attempt_start(exam=exam, user=engineer)
        cf.answer_all(attempt, correct=n % 2 == 0)
        services.attempt_submit(attempt=attempt)
        expiring = timezone.now().date() + timezone.timedelta(days=20)
        cf.certificate(holder=engineer, certification_page=certification, expires_on=expiring if n == 0 else None)
        give_right(OrganisationFactory(name=f"{name} partner {n}"), product, status="grace" if n else "active")
    return certification, product


def _staff(vendor):
    user = UserFactory()
    community_services.vendor_staff_add(vendor=vendor, user=user)
    return user


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_vendor_staff_see_their_programme_and_nothing_of_another_vendor():
    northwind, contoso = VendorFactory(name="Northwind"), VendorFactory(name="Contoso")
    _programme(northwind, size=2)
    _programme(contoso, size=1)

    response = _client(_staff(northwind)).get(DASHBOARD)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Northwind Certified Engineer" in html and "Northwind Router" in html
    assert "Contoso" not in html
    dashboard = response.context["dashboard"]
    assert dashboard.exams == {"attempts": 2, "passed": 1, "pass_rate": 50}
    # Every engineer passed the exam (a certificate each) or was given one; one expires soon.
    assert dashboard.certificates["valid"] >= 2 and dashboard.certificates["expiring"] == 1
    assert dashboard.learning["courses"] == 1 and dashboard.learning["enrolments"] == 2
    assert dashboard.partners_delivering == 2
    product = dashboard.products[0]
    assert (product.active, product.grace, product.lapsed) == (1, 1, 0)
    assert [right.organisation.name for right in dashboard.in_grace] == ["Northwind partner 1"]
    assert "2 certified engineers, 30 days' grace" in html


def test_revoked_certificates_are_counted_and_no_longer_valid():
    vendor = VendorFactory()
    certification, _product = _programme(vendor, size=1)
    revoked = cf.certificate(holder=UserFactory(), certification_page=certification, status="revoked")
    dashboard = _client(_staff(vendor)).get(DASHBOARD).context["dashboard"]
    assert dashboard.certificates["revoked"] == 1
    assert revoked.pk not in Certificate.objects.filter(status="valid").values_list("pk", flat=True)


def test_site_administrators_pick_any_vendor():
    northwind, contoso = VendorFactory(name="Northwind"), VendorFactory(name="Contoso")
    _programme(northwind, size=1)
    _programme(contoso, size=1)
    admin = _client(UserFactory(is_superuser=True, is_staff=True))
    first = admin.get(DASHBOARD).content.decode()
    assert f'<option value="{northwind.slug}"' in first and "Contoso Certified Engineer" in first
    chosen = admin.get(DASHBOARD, {"vendor": northwind.slug}).content.decode()
    assert "Northwind Certified Engineer" in chosen and "Contoso Certified Engineer" not in chosen


def test_who_may_open_the_dashboard():
    vendor = VendorFactory()
    assert Client().get(DASHBOARD).status_code == 302
    engineer = MembershipFactory().user
    assert _client(engineer).get(DASHBOARD).status_code == 302  # no admin access: to the admin login
    assert _client(_staff(vendor)).get(DASHBOARD).status_code == 200
    manager = UserFactory()
    community_services.vendor_staff_add(vendor=vendor, user=manager, manager=True)
    assert _client(manager).get(DASHBOARD).status_code == 200


def test_partner_names_are_escaped():
    vendor = VendorFactory()
    _certification, product = _programme(vendor, size=0)
    give_right(OrganisationFactory(name="<script>alert(1)</script> Ltd"), product, status="grace")
    html = _client(_staff(vendor)).get(DASHBOARD).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ltd" in html and "<script>alert(1)" not in html


def test_queries_do_not_grow_with_the_programme(count_queries):
    vendor = VendorFactory()
    _programme(vendor, size=1)
    client = _client(_staff(vendor))
    client.get(DASHBOARD)
    with count_queries() as small:
        client.get(DASHBOARD)
    _programme(vendor, size=4, name="More")
    with count_queries() as large:
        assert client.get(DASHBOARD).status_code == 200
    assert len(large) == len(small), large.sql()
