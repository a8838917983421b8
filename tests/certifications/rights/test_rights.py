"""Delivery rights: every transition, caps, rule-change audit, membership and certificate events,
and the nightly re-check."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from certifications.models import (
    Certificate,
    DeliveryRightEvent,
    DeliveryRightRule,
    DeliveryRightRuleChange,
    OrganisationDeliveryRight,
    RightsCheck,
)
from certifications.rights import forecast_cache
from certifications.rights import services as rights
from community import services as community_services
from tests.factories import certifications as cert_factories
from tests.factories.community import MembershipFactory, OrganisationFactory, ProductFactory, VendorFactory

pytestmark = pytest.mark.django_db

Cause = DeliveryRightEvent.Cause


def make_rule(*, product=None, certifications=None, **fields) -> DeliveryRightRule:
    product = product or ProductFactory()
    certifications = certifications or [cert_factories.certification(vendor=product.vendor)]
    rule = DeliveryRightRule.objects.create(product=product, **fields)
    rule.certifications.set(certifications)
    return rule


def give_right(organisation, product, status="active", engineers=1):
    now = timezone.now()
    return OrganisationDeliveryRight.objects.create(
        organisation=organisation,
        product=product,
        status=status,
        active_since=now,
        grace_ends_at=now + timezone.timedelta(days=30) if status == "grace" else None,
        lapsed_at=now if status == "lapsed" else None,
        certified_engineers=engineers,
        updated_at=now,
    )


def engineer_with(organisation, *certifications, **fields):
    user = MembershipFactory(organisation=organisation).user
    certificates = [cert_factories.certificate(holder=user, certification_page=c, **fields) for c in certifications]
    return user, certificates


def recompute(organisation, cause=Cause.CERTIFICATE_ISSUED, now=None):
    return rights.rights_recompute_organisation(organisation_id=organisation.pk, cause=cause, now=now)


def right_of(organisation, product) -> OrganisationDeliveryRight:
    return OrganisationDeliveryRight.objects.get(organisation=organisation, product=product)


def chain(right) -> list[tuple[str, str, str]]:
    return [(e.from_status, e.to_status, e.cause) for e in right.events.order_by("at", "pk")]


@pytest.fixture
def rule():
    return make_rule(min_engineers=2, grace_days=30)


@pytest.fixture
def certification(rule):
    return rule.certifications.get()


def test_no_row_for_an_organisation_that_never_qualified(organisation, rule, certification):
    engineer_with(organisation, certification)
    assert recompute(organisation) == []
    assert not OrganisationDeliveryRight.objects.exists()


def test_enough_certified_members_make_the_right_active_with_the_certificates_that_counted(
    organisation, rule, certification
):
    now = timezone.now()
    _a, (cert_a,) = engineer_with(organisation, certification)
    _b, (cert_b,) = engineer_with(organisation, certification)
    assert recompute(organisation, now=now) == [f"{rule.product_id}:-->active"]
    right = right_of(organisation, rule.product)
    assert (right.status, right.active_since, right.certified_engineers) == ("active", now, 2)
    event = right.events.get()
    assert (event.from_status, event.to_status, event.cause) == ("", "active", Cause.CERTIFICATE_ISSUED)
    assert (event.certified_engineers, event.required_engineers) == (2, 2)
    assert set(event.certificates.all()) == {cert_a, cert_b}


def test_second_recompute_changes_nothing(organisation, rule, certification):
    engineer_with(organisation, certification)
    engineer_with(organisation, certification)
    recompute(organisation)
    assert recompute(organisation) == []
    assert DeliveryRightEvent.objects.count() == 1


def test_two_certificates_of_one_engineer_count_once(organisation, rule, certification):
    other = cert_factories.certification(vendor=rule.product.vendor)
    rule.certifications.add(other)
    engineer_with(organisation, certification, other)
    assert recompute(organisation) == []


def test_invalid_certificates_do_not_count(organisation, rule, certification):
    today = timezone.now().date()
    engineer_with(organisation, certification)
    engineer_with(organisation, certification, status=Certificate.Status.REVOKED)
    engineer_with(organisation, certification, status=Certificate.Status.EXPIRED)
    engineer_with(organisation, certification, issued_on=today - timedelta(days=800), expires_on=today)
    assert recompute(organisation) == []


def test_full_cycle_active_grace_active_grace_lapsed_active(organisation, rule, certification):
    t0 = timezone.now()
    engineer_with(organisation, certification)
    _b, (cert_b,) = engineer_with(organisation, certification)
    recompute(organisation, now=t0)

    cert_b.status, cert_b.revoked_at = Certificate.Status.REVOKED, t0
    cert_b.save()
    recompute(organisation, Cause.CERTIFICATE_REVOKED, now=t0 + timedelta(days=1))
    right = right_of(organisation, rule.product)
    assert right.status == "grace" and right.grace_ends_at == t0 + timedelta(days=31)
    assert right.certified_engineers == 1

    newcomer, _certs = engineer_with(organisation, certification)
    recompute(organisation, Cause.MEMBER_JOINED, now=t0 + timedelta(days=2))
    right.refresh_from_db()
    assert (right.status, right.active_since, right.grace_ends_at) == ("active", t0, None)

    community_services.membership_end(membership=newcomer.memberships.get())
    recompute(organisation, Cause.MEMBER_LEFT, now=t0 + timedelta(days=3))
    right.refresh_from_db()
    assert right.status == "grace" and right.grace_ends_at == t0 + timedelta(days=33)

    recompute(organisation, Cause.RECHECK, now=t0 + timedelta(days=32))
    right.refresh_from_db()
    assert right.status == "grace"
    recompute(organisation, Cause.RECHECK, now=t0 + timedelta(days=33))
    right.refresh_from_db()
    assert (right.status, right.lapsed_at) == ("lapsed", t0 + timedelta(days=33))

    engineer_with(organisation, certification)
    recompute(organisation, now=t0 + timedelta(days=40))
    right.refresh_from_db()
    assert (right.status, right.active_since, right.lapsed_at) == ("active", t0 + timedelta(days=40), None)
    assert chain(right) == [
        ("", "active", Cause.CERTIFICATE_ISSUED),
        ("active", "grace", Cause.CERTIFICATE_REVOKED),
        ("grace", "active", Cause.MEMBER_JOINED),
        ("active", "grace", Cause.MEMBER_LEFT),
        ("grace", "lapsed", Cause.GRACE_ENDED),
        ("lapsed", "active", Cause.CERTIFICATE_ISSUED),
    ]
    grace_event = right.events.get(cause=Cause.MEMBER_LEFT)
    assert grace_event.grace_ends_at == t0 + timedelta(days=33) and grace_event.certified_engineers == 1


def test_zero_grace_days_lapse_at_once(organisation, certification, rule):
    rule.grace_days = 0
    rule.save()
    engineer_with(organisation, certification)
    _b, (cert_b,) = engineer_with(organisation, certification)
    recompute(organisation)
    cert_b.status = Certificate.Status.EXPIRED
    cert_b.save()
    recompute(organisation, Cause.CERTIFICATE_EXPIRED)
    assert right_of(organisation, rule.product).status == "lapsed"


def test_certificate_past_its_expiry_date_stops_counting_when_time_moves(organisation, rule, certification):
    today = timezone.now().date()
    engineer_with(organisation, certification)
    engineer_with(organisation, certification, expires_on=today + timedelta(days=10))
    recompute(organisation)
    recompute(organisation, Cause.RECHECK, now=timezone.now() + timedelta(days=10))
    assert right_of(organisation, rule.product).status == "grace"


def test_a_member_of_another_organisation_does_not_count(organisation, rule, certification):
    engineer_with(organisation, certification)
    engineer_with(OrganisationFactory(), certification)
    assert recompute(organisation) == []


# --- Caps ----------------------------------------------------------------------------------------


def capped_products(vendor, count, cap):
    certification = cert_factories.certification(vendor=vendor)
    products = [ProductFactory(vendor=vendor, name=f"Capped {i}") for i in range(count)]
    for product in products:
        make_rule(product=product, certifications=[certification], min_engineers=1, max_products_per_engineer=cap)
    return certification, products


def held(organisation):
    return set(
        OrganisationDeliveryRight.objects.filter(organisation=organisation, status="active").values_list(
            "product__name", flat=True
        )
    )


def test_cap_limits_how_many_products_one_engineer_carries(organisation):
    certification, _products = capped_products(VendorFactory(), 3, cap=2)
    engineer_with(organisation, certification)
    recompute(organisation)
    assert held(organisation) == {"Capped 0", "Capped 1"}
    engineer_with(organisation, certification)
    recompute(organisation)
    assert held(organisation) == {"Capped 0", "Capped 1", "Capped 2"}
    assert OrganisationDeliveryRight.objects.get(product__name="Capped 2").certified_engineers == 1


def test_cap_keeps_rights_already_held_when_an_engineer_gains_options(organisation):
    vendor = VendorFactory()
    narrow = cert_factories.certification(vendor=vendor)
    broad = cert_factories.certification(vendor=vendor)
    late = ProductFactory(vendor=vendor, name="A first by name")
    make_rule(product=late, certifications=[broad], max_products_per_engineer=1)
    early = ProductFactory(vendor=vendor, name="Z last by name")
    make_rule(product=early, certifications=[narrow, broad], max_products_per_engineer=1)
    engineer, _ = engineer_with(organisation, narrow)
    recompute(organisation)
    assert held(organisation) == {"Z last by name"}
    cert_factories.certificate(holder=engineer, certification_page=broad)
    recompute(organisation)
    assert held(organisation) == {"Z last by name"}


def test_cap_allocation_prefers_engineers_with_fewer_options(organisation):
    vendor = VendorFactory()
    both = cert_factories.certification(vendor=vendor)
    only_b = cert_factories.certification(vendor=vendor)
    product_a = ProductFactory(vendor=vendor, name="A")
    product_b = ProductFactory(vendor=vendor, name="B")
    make_rule(product=product_a, certifications=[both], max_products_per_engineer=1)
    make_rule(product=product_b, certifications=[both, only_b], max_products_per_engineer=1)
    engineer_with(organisation, both)
    engineer_with(organisation, only_b)
    recompute(organisation)
    assert held(organisation) == {"A", "B"}


def test_uncapped_products_do_not_use_the_budget(organisation):
    vendor = VendorFactory()
    certification, _ = capped_products(vendor, 1, cap=1)
    free = ProductFactory(vendor=vendor, name="Free")
    make_rule(product=free, certifications=[certification])
    engineer_with(organisation, certification)
    recompute(organisation)
    assert held(organisation) == {"Capped 0", "Free"}


# --- Queueing: certificates and memberships ------------------------------------------------------


def test_a_certificate_change_recomputes_the_holders_organisation(
    organisation, rule, certification, django_capture_on_commit_callbacks
):
    rule.min_engineers = 1
    rule.save()
    user, (cert,) = engineer_with(organisation, certification)
    with django_capture_on_commit_callbacks(execute=True):
        rights.rights_recompute_queue_for_holder(holder=cert.holder, cause=Cause.CERTIFICATE_ISSUED)
    assert chain(right_of(organisation, rule.product)) == [("", "active", Cause.CERTIFICATE_ISSUED)]
    cert.status, cert.revoked_at = Certificate.Status.REVOKED, timezone.now()
    cert.save()
    with django_capture_on_commit_callbacks(execute=True):
        rights.rights_recompute_queue_for_holder(holder=cert.holder, cause=Cause.CERTIFICATE_REVOKED)
    assert right_of(organisation, rule.product).status == "grace"


def test_joining_and_leaving_recompute_both_organisations(
    organisation, rule, certification, django_capture_on_commit_callbacks
):
    rule.min_engineers = 1
    rule.save()
    user, _ = engineer_with(organisation, certification)
    recompute(organisation)
    other = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        community_services.membership_start(organisation=other, user=user, role="engineer")
    assert right_of(organisation, rule.product).status == "grace"
    assert chain(right_of(organisation, rule.product))[-1] == ("active", "grace", Cause.MEMBER_LEFT)
    assert chain(right_of(other, rule.product)) == [("", "active", Cause.MEMBER_JOINED)]


def test_a_role_change_does_not_recompute(organisation, rule, certification, django_capture_on_commit_callbacks):
    user, _ = engineer_with(organisation, certification)
    MembershipFactory(organisation=organisation, role="admin")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        community_services.membership_change_role(membership=user.memberships.get(), role="admin")
    # The signal itself, beside the cached forecast's renewals; no recompute task queued.
    assert len([c for c in callbacks if c.__module__ != forecast_cache.__name__]) == 1


# --- Rules --------------------------------------------------------------------------------------


def test_rule_change_is_audited_and_recomputes_from_then_on(
    organisation, rule, certification, staff_user, django_capture_on_commit_callbacks
):
    t0 = timezone.now()
    engineer_with(organisation, certification)
    engineer_with(organisation, certification)
    recompute(organisation, now=t0)
    first_event = right_of(organisation, rule.product).events.get()

    rule.min_engineers = 3
    with django_capture_on_commit_callbacks(execute=True):
        rights.delivery_rule_save(rule=rule, certifications=[certification], changed_by=staff_user)
    change = DeliveryRightRuleChange.objects.get()
    assert change.changed_by == staff_user
    assert change.before["min_engineers"] == 2 and change.after["min_engineers"] == 3
    assert change.after["certification_titles"] == [certification.title]
    right = right_of(organisation, rule.product)
    assert right.status == "grace"
    assert chain(right) == [("", "active", Cause.CERTIFICATE_ISSUED), ("active", "grace", Cause.RULE_CHANGED)]
    first_event.refresh_from_db()
    assert (first_event.required_engineers, first_event.to_status) == (2, "active")


def test_saving_an_unchanged_rule_records_nothing(rule, certification, staff_user):
    rights.delivery_rule_save(rule=rule, certifications=[certification], changed_by=staff_user)
    assert not DeliveryRightRuleChange.objects.exists()


def test_a_new_rule_is_recorded_with_no_before(organisation, staff_user, django_capture_on_commit_callbacks):
    product = ProductFactory()
    certification = cert_factories.certification(vendor=product.vendor)
    engineer_with(organisation, certification)
    with django_capture_on_commit_callbacks(execute=True):
        rights.delivery_rule_save(
            rule=DeliveryRightRule(product=product), certifications=[certification], changed_by=staff_user
        )
    change = DeliveryRightRuleChange.objects.get()
    assert change.before is None and change.after["min_engineers"] == 1
    assert chain(right_of(organisation, product)) == [("", "active", Cause.RULE_CHANGED)]


@pytest.fixture
def staff_user():
    from tests.factories.community import UserFactory

    return UserFactory()


# --- Nightly re-check ---------------------------------------------------------------------------


def test_recheck_reports_and_fixes_drift(organisation, rule, certification, caplog):
    engineer_with(organisation, certification)
    engineer_with(organisation, certification)
    recompute(organisation)
    OrganisationDeliveryRight.objects.update(status="lapsed", lapsed_at=timezone.now())
    with caplog.at_level(logging.WARNING, logger="certifications.rights.services"):
        check = rights.rights_recheck_all()
    assert (check.checked, check.drifted) == (1, 1)
    assert check.drift[0]["stored"]["status"] == "lapsed" and check.drift[0]["computed"]["status"] == "active"
    assert "drifted" in caplog.text
    right = right_of(organisation, rule.product)
    assert right.status == "active"
    assert chain(right)[-1] == ("lapsed", "active", Cause.RECHECK)
    assert rights.rights_recheck_all().drifted == 0
    assert RightsCheck.objects.count() == 2


def test_recheck_finds_a_right_that_was_never_computed(organisation, rule, certification):
    engineer_with(organisation, certification)
    engineer_with(organisation, certification)
    check = rights.rights_recheck_all()
    assert check.drifted == 1 and check.drift[0]["stored"] is None
    assert right_of(organisation, rule.product).status == "active"


def test_recheck_lapses_ended_graces_without_calling_it_drift(organisation, rule, certification):
    t0 = timezone.now()
    engineer_with(organisation, certification)
    _b, (cert_b,) = engineer_with(organisation, certification)
    recompute(organisation, now=t0)
    cert_b.status = Certificate.Status.EXPIRED
    cert_b.save()
    recompute(organisation, Cause.CERTIFICATE_EXPIRED, now=t0)
    check = rights.rights_recheck_all(now=t0 + timedelta(days=31))
    assert check.drifted == 0
    assert chain(right_of(organisation, rule.product))[-1] == ("grace", "lapsed", Cause.GRACE_ENDED)


def test_recheck_task_runs_from_the_beat_schedule(settings):
    assert any(e["task"] == "certifications.tasks.rights_recheck_all" for e in settings.CELERY_BEAT_SCHEDULE.values())


# --- Through the certificate services ------------------------------------------------------------


def test_passing_the_exam_issues_a_certificate_that_makes_the_right(
    organisation, rule, certification, django_capture_on_commit_callbacks
):
    from certifications.exams import services as exam_services

    engineer_with(organisation, certification)
    candidate = MembershipFactory(organisation=organisation).user
    exam = cert_factories.exam(certification_page=certification, questions=2)
    attempt = exam_services.attempt_start(exam=exam, user=candidate)
    cert_factories.answer_all(attempt, correct=True)
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=attempt)
    assert Certificate.objects.filter(holder=candidate).exists()
    right = right_of(organisation, rule.product)
    assert chain(right) == [("", "active", Cause.CERTIFICATE_ISSUED)]
    assert set(right.events.get().certificates.values_list("holder", flat=True)) == {
        candidate.pk,
        organisation.memberships.exclude(user=candidate).get().user_id,
    }


def test_expiry_sweep_and_revocation_move_the_right_to_grace_then_lapse(
    organisation, rule, certification, django_capture_on_commit_callbacks
):
    from certifications.certificates import lifecycle

    today = timezone.now().date()
    engineer_with(organisation, certification)
    engineer_with(organisation, certification)
    _c, (expiring,) = engineer_with(organisation, certification, expires_on=today + timedelta(days=1))
    recompute(organisation)
    with django_capture_on_commit_callbacks(execute=True):
        assert lifecycle.certificates_expire(today=today + timedelta(days=1)) == 1
    right = right_of(organisation, rule.product)
    assert right.status == "active" and right.certified_engineers == 2

    manager = MembershipFactory().user
    community_services.vendor_staff_add(vendor=certification.vendor, user=manager, manager=True)
    revoked = Certificate.objects.filter(holder__memberships__organisation=organisation, status="valid").first()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.certificate_revoke(certificate=revoked, reason="other", note="Test", revoked_by=manager)
    right.refresh_from_db()
    assert right.status == "grace"
    assert chain(right)[-1] == ("active", "grace", Cause.CERTIFICATE_REVOKED)
    latest = right.events.first()  # newest first
    assert latest.cause == Cause.CERTIFICATE_REVOKED and latest.certified_engineers == 1
    assert expiring.pk not in set(latest.certificates.values_list("pk", flat=True))
