"""Certification versions: a published new version names the certification it supersedes and the
last day the old one counts. It joins the old one's delivery-right rules at once (audited); old
certificates stay valid records, say "superseded" on verification, and stop counting towards
rights after that day, so a partner relying on them moves into grace unless its engineers pass
the new exam."""

from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from certifications.models import Certificate, CertificationPage, DeliveryRightRuleChange, OrganisationDeliveryRight
from certifications.rights import services
from tests.certifications.rights.test_rights import make_rule
from tests.factories import certifications as cert_factories
from tests.factories.community import MembershipFactory, OrganisationFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

CUTOFF = date(2027, 3, 31)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """A partner whose one engineer holds the old version, which the product's rule counts."""
    product = ProductFactory(name="Router")
    old = cert_factories.certification(vendor=product.vendor, title="Router Engineer v1")
    rule = make_rule(product=product, certifications=[old], min_engineers=1, grace_days=30)
    organisation = OrganisationFactory()
    engineer = MembershipFactory(organisation=organisation, role="engineer").user
    certificate = cert_factories.certificate(
        holder=engineer, certification_page=old, issued_on=date(2026, 6, 1), expires_on=date(2028, 6, 1)
    )
    services.rights_recompute_organisation(organisation_id=organisation.pk, cause="recheck", now=at(date(2026, 12, 1)))
    return {"product": product, "old": old, "rule": rule, "organisation": organisation, "engineer": engineer,
            "certificate": certificate}  # fmt: skip


def new_version(old, *, live=True, until=CUTOFF):
    page = cert_factories.certification(
        vendor=old.vendor, title="Router Engineer v2", supersedes=old, supersedes_counts_until=until, live=live
    )
    if not live:  # a draft never published
        CertificationPage.objects.filter(pk=page.pk).update(live=False)
        page.live = False
    return page


def right(world) -> OrganisationDeliveryRight:
    return OrganisationDeliveryRight.objects.get(organisation=world["organisation"], product=world["product"])


def test_an_old_versions_certificate_counts_until_the_day_named_then_only_as_a_record(world):
    new_version(world["old"])
    counting = {day: Certificate.objects.counting_on(day).filter(pk=world["certificate"].pk).exists()
                for day in (CUTOFF - timedelta(days=1), CUTOFF, CUTOFF + timedelta(days=1))}  # fmt: skip
    assert list(counting.values()) == [True, True, False]
    assert Certificate.objects.valid_on(CUTOFF + timedelta(days=1)).filter(pk=world["certificate"].pk).exists()


def test_a_draft_new_version_changes_nothing(world):
    new_version(world["old"], live=False)
    assert Certificate.objects.counting_on(CUTOFF + timedelta(days=30)).filter(pk=world["certificate"].pk).exists()
    assert list(world["rule"].certifications.all()) == [world["old"]]


def test_publishing_adds_the_new_version_to_the_old_ones_rules_once_audited(world, django_capture_on_commit_callbacks):
    author = UserFactory(full_name="Programme Manager", is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        new = new_version(world["old"], live=False)
        new.save_revision(user=author).publish(user=author)
    assert set(world["rule"].certifications.all()) == {world["old"], new}
    change = DeliveryRightRuleChange.objects.get(rule=world["rule"])
    assert change.changed_by == author and change.after["certifications"] == sorted([world["old"].pk, new.pk])
    with django_capture_on_commit_callbacks(execute=True):
        new.save_revision(user=author).publish(user=author)
    assert DeliveryRightRuleChange.objects.filter(rule=world["rule"]).count() == 1


def test_the_right_moves_to_grace_after_the_day_unless_the_new_exam_is_passed(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = new_version(world["old"])
    organisation_id = world["organisation"].pk
    services.rights_recompute_organisation(organisation_id=organisation_id, cause="recheck", now=at(CUTOFF))
    assert right(world).status == "active"
    services.rights_recompute_organisation(
        organisation_id=organisation_id, cause="recheck", now=at(CUTOFF + timedelta(days=1))
    )
    assert right(world).status == "grace"
    cert_factories.certificate(
        holder=world["engineer"], certification_page=new, issued_on=CUTOFF, expires_on=CUTOFF + timedelta(days=700)
    )
    services.rights_recompute_organisation(
        organisation_id=organisation_id, cause="certificate_issued", now=at(CUTOFF + timedelta(days=2))
    )
    assert right(world).status == "active" and right(world).certified_engineers == 1


def test_the_nightly_recheck_applies_the_day_without_any_other_event(world):
    new_version(world["old"])
    services.rights_recheck_all(now=at(CUTOFF + timedelta(days=1)))
    assert right(world).status == "grace"


def test_verification_says_superseded_and_until_when_it_counts(world):
    page = Client().get(f"/verify/{world['certificate'].serial}/").content.decode()
    assert "Superseded" not in page
    new_version(world["old"], until=timezone.localdate() + timedelta(days=30))
    page = Client().get(f"/verify/{world['certificate'].serial}/").content.decode()
    assert "Valid certificate" in page and "Superseded by a new version" in page
    assert (
        "Router Engineer v2 replaces this certification" in page
        and "counts towards partners' delivery rights until" in page
    )
    CertificationPage.objects.filter(pk=world["old"].superseded_by.pk).update(
        supersedes_counts_until=timezone.localdate() - timedelta(days=1)
    )
    assert (
        "stopped counting towards partners' delivery rights"
        in Client().get(f"/verify/{world['certificate'].serial}/").content.decode()
    )


def test_verification_of_a_superseded_certificate_runs_no_extra_query(world, count_queries):
    url = f"/verify/{world['certificate'].serial}/"
    Client().get(url)
    with count_queries() as alone:
        Client().get(url)
    new_version(world["old"])
    with count_queries() as superseded:
        assert "Superseded by a new version" in Client().get(url).content.decode()
    assert len(superseded) == len(alone), superseded.sql()


def edit_form(page, **fields):
    form_class = CertificationPage.get_edit_handler().get_form_class()
    data = nested_form_data({
        "title": page.title, "slug": page.slug, "summary": page.summary, "description": rich_text(""),
        "syllabus": rich_text(""), "validity_months": 24, "renewal_window_days": 90,
        "required_courses": inline_formset([]), **fields,
    })  # fmt: skip
    return form_class(data, instance=page, for_user=UserFactory(is_superuser=True))


def test_the_page_form_refuses_a_version_it_cannot_be(world):
    new = new_version(world["old"], live=False, until=None)
    other_vendor = cert_factories.certification(title="Someone else's")
    cases = {
        "no date": ({"supersedes": world["old"].pk}, "supersedes_counts_until"),
        "date alone": ({"supersedes_counts_until": "2027-03-31"}, "supersedes"),
        "itself": ({"supersedes": new.pk, "supersedes_counts_until": "2027-03-31"}, "supersedes"),
        "other vendor": ({"supersedes": other_vendor.pk, "supersedes_counts_until": "2027-03-31"}, "supersedes"),
    }
    for case, (fields, field) in cases.items():
        form = edit_form(new, **fields)
        assert not form.is_valid() and field in form.errors, case
    assert edit_form(new, supersedes=world["old"].pk, supersedes_counts_until="2027-03-31").is_valid()
    backwards = edit_form(world["old"], supersedes=new.pk, supersedes_counts_until="2027-03-31")
    assert not backwards.is_valid() and "supersedes" in backwards.errors


def test_the_gap_view_names_the_new_exam_and_when_the_old_stops_counting(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        new_version(world["old"])
    admin = MembershipFactory(organisation=world["organisation"], role="admin").user
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("certifications:gap", kwargs={"slug": world["organisation"].slug})).content.decode()
    assert "Router Engineer v2" in page
    assert "superseded by Router Engineer v2: counts until" in page
