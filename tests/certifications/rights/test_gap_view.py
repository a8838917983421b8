"""A partner admin's delivery-rights gap view: who may see it, what it shows per product, and a
query count that does not grow with the team."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certifications.models import DeliveryRightEvent, ExamAttempt
from certifications.rights import services as rights
from courses import services as course_services
from tests.certifications.rights.test_rights import engineer_with, make_rule
from tests.factories import certifications as cert_factories
from tests.factories import courses as course_factories
from tests.factories.community import PASSWORD, MembershipFactory, OrganisationFactory, ProductFactory, VendorFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def gap_url(organisation) -> str:
    return reverse("certifications:gap", kwargs={"slug": organisation.slug})


@pytest.fixture
def setup(organisation):
    """A vendor product whose rule needs two engineers holding a certification that requires a
    two-lesson course."""
    vendor = VendorFactory(name="Nimbus")
    course = course_factories.course(academy_page=course_factories.academy(vendor=vendor), lessons=2, title="Edge 101")
    certification = cert_factories.certification(vendor=vendor, courses=[course], title="Edge Associate")
    product = ProductFactory(vendor=vendor, name="Edge Router")
    rule = make_rule(product=product, certifications=[certification], min_engineers=2, grace_days=45)
    exam = cert_factories.exam(certification_page=certification, questions=2)
    return {"course": course, "certification": certification, "product": product, "rule": rule, "exam": exam}


def attempt(user, exam, *, passed=None):
    now = timezone.now()
    graded = passed is not None
    return ExamAttempt.objects.create(
        exam=exam,
        user=user,
        status=ExamAttempt.Status.GRADED if graded else ExamAttempt.Status.IN_PROGRESS,
        started_at=now - timedelta(hours=1),
        deadline_at=now + timedelta(hours=1),
        submitted_at=now if graded else None,
        passed=passed,
        pass_mark_percent=70,
    )


def test_only_the_organisations_admins_see_it(organisation, partner_admin, engineer, setup):
    url = gap_url(organisation)
    assert client_for(partner_admin).get(url).status_code == 200
    assert client_for(engineer).get(url).status_code == 404
    other_admin = MembershipFactory(organisation=OrganisationFactory(), role="admin").user
    assert client_for(other_admin).get(url).status_code == 404
    response = Client().get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_shows_rule_counts_learners_and_grace_end(organisation, partner_admin, setup):
    certified, _ = engineer_with(organisation, setup["certification"])
    certified.full_name = "Cora Certified"
    certified.save()
    enrolled = MembershipFactory(organisation=organisation, user__full_name="Erin Enrolled").user
    course_services.course_enrol(user=enrolled, course=setup["course"])
    partway = MembershipFactory(organisation=organisation, user__full_name="Pat Partway").user
    course_services.course_enrol(user=partway, course=setup["course"])
    course_services.lesson_complete(user=partway, lesson=setup["course"].get_children().specific().first())
    taking = MembershipFactory(organisation=organisation, user__full_name="Tara Taking").user
    attempt(taking, setup["exam"])
    failed = MembershipFactory(organisation=organisation, user__full_name="Finn Failed").user
    attempt(failed, setup["exam"], passed=False)
    MembershipFactory(organisation=organisation, user__full_name="Idle Ida")

    html = client_for(partner_admin).get(gap_url(organisation)).content.decode()
    assert "Edge Router" in html and "Edge Associate" in html
    assert "1 / 2" in html and "1 more needed" in html and "45 days grace period" in html
    assert "Cora Certified" in html
    assert "Edge 101: enrolled" in html and "Edge 101: part-way" in html
    assert "Exam in progress" in html and "Exam failed on" in html
    assert "Idle Ida" not in html
    assert "Not yet earned" in html


def test_shows_when_grace_ends(organisation, partner_admin, setup):
    engineer_with(organisation, setup["certification"])
    _b, (cert,) = engineer_with(organisation, setup["certification"])
    rights.rights_recompute_organisation(organisation_id=organisation.pk, cause=DeliveryRightEvent.Cause.RECHECK)
    cert.status = "expired"
    cert.save()
    now = timezone.now()
    rights.rights_recompute_organisation(
        organisation_id=organisation.pk, cause=DeliveryRightEvent.Cause.CERTIFICATE_EXPIRED, now=now
    )
    html = client_for(partner_admin).get(gap_url(organisation)).content.decode()
    ends = (now + timedelta(days=45)).strftime("%Y")
    assert "Grace period ends on" in html and ends in html
    assert "Public directory profile" in html


def test_held_products_and_their_vendors_come_first(organisation, partner_admin, setup):
    other_vendor = VendorFactory(name="Aardvark")
    make_rule(product=ProductFactory(vendor=other_vendor, name="Aardvark Switch"))
    make_rule(product=ProductFactory(vendor=setup["product"].vendor, name="A Nimbus product"))
    engineer_with(organisation, setup["certification"])
    engineer_with(organisation, setup["certification"])
    rights.rights_recompute_organisation(organisation_id=organisation.pk, cause=DeliveryRightEvent.Cause.RECHECK)
    response = client_for(partner_admin).get(gap_url(organisation))
    vendors = response.context["vendors"]
    assert [g.vendor.name for g in vendors] == ["Nimbus", "Aardvark"]
    assert [r.product.name for r in vendors[0].rows] == ["Edge Router", "A Nimbus product"]


def test_user_text_is_escaped(organisation, partner_admin, setup):
    MembershipFactory(organisation=organisation, user__full_name="<i>Evil</i>")
    attempt(organisation.memberships.get(user__full_name="<i>Evil</i>").user, setup["exam"])
    html = client_for(partner_admin).get(gap_url(organisation)).content.decode()
    assert "<i>Evil</i>" not in html and "&lt;i&gt;Evil&lt;/i&gt;" in html


def test_query_count_is_the_same_for_5_and_50_members(organisation, partner_admin, setup, count_queries):
    client = client_for(partner_admin)
    url = gap_url(organisation)

    def grow_team_to(size):
        while organisation.memberships.count() < size:
            n = organisation.memberships.count()
            if n % 3 == 0:
                engineer_with(organisation, setup["certification"])
            elif n % 3 == 1:
                learner = MembershipFactory(organisation=organisation).user
                course_services.course_enrol(user=learner, course=setup["course"])
            else:
                attempt(MembershipFactory(organisation=organisation).user, setup["exam"], passed=False)

    grow_team_to(5)
    client.get(url)
    with count_queries() as five:
        assert client.get(url).status_code == 200
    grow_team_to(50)
    with count_queries() as fifty:
        response = client.get(url)
    assert sum(len(row.learners) for group in response.context["vendors"] for row in group.rows) > 20
    assert len(fifty) == len(five), fifty.sql()


def test_the_organisation_page_links_admins_to_it(organisation, partner_admin, engineer):
    link = f'href="{gap_url(organisation)}"'
    assert link in client_for(partner_admin).get(reverse("community:organisation")).content.decode()
    assert link not in client_for(engineer).get(reverse("community:organisation")).content.decode()
