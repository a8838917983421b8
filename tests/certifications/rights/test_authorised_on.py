"""The programme's "authorised on a date" page: who held a product's right at the end of a past
day, with the certificates that counted, for the vendor's programme managers only; bad input
answered in the form; a fixed query count."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.certifications.rights.rights_story import (
    COLLEAGUE_JOINED,
    EXPIRED,
    NIGHTLY,
    PASSED,
    record_story,
)
from tests.certifications.rights.test_rights import engineer_with, recompute
from tests.factories.community import OrganisationFactory, VendorFactory
from tests.factories.roles import PROGRAMME_MANAGERS, people_in_every_role
from tests.roles import Case, assert_exactly_the_allowed_roles, shows

pytestmark = pytest.mark.django_db

URL = reverse("programme_authorised_on")


@pytest.fixture
def story():
    return record_story()


def _get(user, **params):
    client = Client()
    client.force_login(user)
    return client.get(URL, params)


def _ask(story, day, **params):
    return _get(story.manager, product="edge-router", day=day.isoformat(), **params)


def test_each_role_gets_exactly_what_its_job_needs(story):
    vendor = story.product.vendor
    world = {"people": people_in_every_role(vendor=vendor, other_vendor=VendorFactory(name="Rival Vendor"))}
    case = Case(
        "get",
        lambda w: f"{URL}?vendor={vendor.slug}&product=edge-router&day={PASSED.date().isoformat()}",
        shows(lambda w: story.certificates["first"].serial),
        PROGRAMME_MANAGERS,
    )
    assert_exactly_the_allowed_roles(world, case)


def test_a_day_while_active_lists_the_partner_with_the_certificates_that_counted(story):
    response = _ask(story, PASSED.date() + timedelta(days=3))
    html = response.content.decode()
    (event,) = response.context["page"].object_list
    assert event.right.organisation == story.organisation and event.to_status == "active"
    first = story.certificates["first"]
    assert "1 partner authorised to deliver Edge Router on 8 Mar 2025" in html
    assert "Alice Example" in html and first.serial in html and "Edge Router Associate" in html
    assert reverse("certificates_admin:detail", args=[first.pk]) in html
    assert "As recorded on 5 Mar 2025 (Certificate issued)" in html
    assert first.holder.email not in html


def test_a_day_in_grace_shows_renewal_pending_and_until_when(story):
    html = _ask(story, EXPIRED.date()).content.decode()
    assert "Renewal pending" in html and "until 15 Apr 2025" in html and "None counted" in html
    assert "Holding since" in html and "5 Mar 2025" in html


def test_a_day_after_the_lapse_lists_nobody(story):
    response = _ask(story, NIGHTLY.date())
    assert list(response.context["page"].object_list) == []
    assert "No partner held this right on that day." in response.content.decode()


def test_the_renewed_right_names_the_colleague_s_certificate(story):
    html = _ask(story, COLLEAGUE_JOINED.date()).content.decode()
    assert "Bob Example" in html and story.certificates["colleague"].serial in html
    assert "Alice Example" not in html


def test_the_region_narrows_the_partners(story):
    assert list(_ask(story, PASSED.date(), region="gc").context["page"].object_list) == []
    assert len(_ask(story, PASSED.date(), region="eu").context["page"].object_list) == 1


def test_without_a_question_it_answers_today_for_the_first_product(story):
    response = _get(story.manager)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.cleaned_data["day"] == timezone.localdate()
    assert form.cleaned_data["product"] == story.product
    assert len(response.context["page"].object_list) == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"day": "2025-13-45"}, "Enter a valid date."),
        ({"day": "2025-02-01"}, "Delivery rights are recorded from 5 Mar 2025; choose a day from then on."),
        ({"day": "2999-01-01"}, "Choose a day up to today."),
        ({"product": "another-vendors-product"}, "Select a valid choice."),
        ({"region": "mars"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_answered_in_the_form(story, params, message):
    response = _get(story.manager, **{"product": "edge-router", "day": "2025-03-10", **params})
    html = response.content.decode()
    assert response.status_code == 200 and response.context["page"] is None
    assert message in html


def test_a_manager_of_another_vendor_never_sees_this_vendor_s_rights(story):
    rival = VendorFactory(name="Rival Vendor")
    from community import services as community_services
    from tests.factories.community import UserFactory

    manager = UserFactory()
    community_services.vendor_staff_add(vendor=rival, user=manager, manager=True)
    response = _get(manager, vendor=story.product.vendor.slug, product="edge-router", day="2025-03-10")
    html = response.content.decode()
    assert response.context["vendor"] == rival and response.context["page"] is None
    assert "Berlin Net" not in html and "Edge Router" not in html
    assert "products has a delivery-right rule yet." in html


def test_the_dashboard_links_the_page(story):
    client = Client()
    client.force_login(story.manager)
    assert (
        f'href="{URL}?vendor={story.product.vendor.slug}"'
        in client.get(reverse("programme_dashboard")).content.decode()
    )


def test_partner_names_are_escaped(story):
    story.organisation.name = "<script>alert(1)</script> Net"
    story.organisation.save()
    html = _ask(story, PASSED.date()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Net" in html and "<script>alert(1)" not in html


def test_in_simplified_chinese(story):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(story.manager)
    profile.preferred_language = "zh-hans"
    profile.save()
    html = _ask(story, PASSED.date()).content.decode()
    assert "按日期查询授权" in html and "计入的证书" in html and "已授权" in html


def test_queries_do_not_grow_with_the_partners(story, count_queries):
    day = COLLEAGUE_JOINED.date()
    _ask(story, day)
    with count_queries() as few:
        _ask(story, day)
    certification = story.certificates["colleague"].certification
    for i in range(55):
        organisation = OrganisationFactory(name=f"Partner {i:02}")
        engineer_with(organisation, certification)
        engineer_with(organisation, certification)
        recompute(organisation, now=COLLEAGUE_JOINED - timedelta(days=1))
    with count_queries() as many:
        response = _ask(story, day)
    page = response.context["page"]
    assert page.paginator.count == 56 and len(page.object_list) == 50
    assert all(len(event.counted) == 2 for event in page.object_list[1:])
    assert len(many) == len(few), many.sql()
