"""Delivery-right recomputations racing on PostgreSQL: several threads, each with its own
connection, recompute one organisation at the same moment while its certificates change. The
organisation lock must leave one row per product and an unbroken chain of events."""

import time

import pytest
from django.utils import timezone

from certifications.models import Certificate, DeliveryRightEvent, OrganisationDeliveryRight
from certifications.rights import services as rights
from tests.certifications.rights.test_rights import engineer_with, make_rule
from tests.factories.community import OrganisationFactory, ProductFactory, VendorFactory
from tests.integration.racing import race

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROUNDS = 4
RACERS = 6


def assert_consistent_chain(right: OrganisationDeliveryRight) -> None:
    events = list(right.events.order_by("at", "pk"))
    assert events, right
    assert events[0].from_status == ""
    for before, after in zip(events, events[1:], strict=False):
        assert after.from_status == before.to_status, [(e.from_status, e.to_status) for e in events]
        assert after.from_status != after.to_status
    assert events[-1].to_status == right.status


def test_concurrent_recomputes_leave_one_row_per_product_and_a_consistent_chain(home_page):
    vendor = VendorFactory()
    products = [ProductFactory(vendor=vendor) for _ in range(3)]
    rules = [make_rule(product=p, min_engineers=2, grace_days=10) for p in products]
    organisation = OrganisationFactory()
    certificates = []
    for rule in rules:
        for _ in range(2):
            _user, (certificate,) = engineer_with(organisation, rule.certifications.get())
            certificates.append(certificate)

    def recompute(cause):
        return lambda: rights.rights_recompute_organisation(organisation_id=organisation.pk, cause=cause)

    for round_ in range(ROUNDS):
        outcomes = race([recompute(DeliveryRightEvent.Cause.RECHECK) for _ in range(RACERS)])
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        # Exactly one of the racers found something to write: the first to take the lock.
        assert sum(bool(o) for o in outcomes) <= 1, outcomes

        # Flip every other certificate between valid and revoked, then race again.
        for certificate in certificates[round_ % 2 :: 2]:
            revoked = certificate.status == Certificate.Status.VALID
            certificate.status = Certificate.Status.REVOKED if revoked else Certificate.Status.VALID
            certificate.revoked_at = timezone.now() if revoked else None
            certificate.save(update_fields=["status", "revoked_at"])

    rows = OrganisationDeliveryRight.objects.filter(organisation=organisation)
    assert rows.count() == len(products)
    for right in rows:
        assert_consistent_chain(right)


def test_a_recompute_racing_a_recheck_of_everything_agrees(home_page):
    rule = make_rule(min_engineers=1)
    organisations = [OrganisationFactory() for _ in range(3)]
    for organisation in organisations:
        engineer_with(organisation, rule.certifications.get())

    calls = [rights.rights_recheck_all] + [
        lambda organisation=organisation: rights.rights_recompute_organisation(
            organisation_id=organisation.pk, cause=DeliveryRightEvent.Cause.CERTIFICATE_ISSUED
        )
        for organisation in organisations
    ]
    outcomes = race(calls)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    for organisation in organisations:
        right = OrganisationDeliveryRight.objects.get(organisation=organisation, product=rule.product)
        assert right.status == "active" and right.events.count() == 1
    assert rights.rights_recheck_all().drifted == 0


def test_a_member_leaving_is_recomputed_by_the_worker(celery_worker, home_page):
    from celery.result import AsyncResult

    from community.services import membership_end

    rule = make_rule(min_engineers=2, grace_days=10)
    organisation = OrganisationFactory()
    engineer_with(organisation, rule.certifications.get())
    leaver, _ = engineer_with(organisation, rule.certifications.get())
    rights.rights_recompute_organisation(organisation_id=organisation.pk, cause=DeliveryRightEvent.Cause.RECHECK)

    membership_end(membership=leaver.memberships.get())  # commits, then the receiver queues the task

    # The joins queued recomputations too, so the worker's first such task need not be this one:
    # wait for the one whose result is the transition.
    wanted = [f"{rule.product_id}:active->grace"]
    deadline = time.monotonic() + 30
    while True:
        log = celery_worker.wait_for_log("certifications.tasks.rights_recompute")
        task_ids = [part.split("]")[0] for part in log.split("certifications.tasks.rights_recompute[")[1:]]
        results = [AsyncResult(task_id).get(timeout=30) for task_id in dict.fromkeys(task_ids)]
        if wanted in results or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert wanted in results, results
    right = OrganisationDeliveryRight.objects.get(organisation=organisation, product=rule.product)
    assert right.status == "grace"
    assert right.events.first().cause == DeliveryRightEvent.Cause.MEMBER_LEFT
