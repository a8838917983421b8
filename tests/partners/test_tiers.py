"""Partner tiers recomputed from the platform's facts: the facts read per vendor, upgrades at
once, downgrades after grace, an audited event per change, idempotent recomputation, the events
that queue it, and a fixed number of queries whatever the number of organisations."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from certifications.models import DeliveryRightEvent
from community import services as community_services
from partners import engagements, tiers
from partners.models import Engagement, OrganisationTier, OrganisationTierEvent, PartnerTier, PartnerTierChange
from partners.tasks import tiers_sweep
from tests.certifications.rights.test_rights import engineer_with, make_rule, recompute
from tests.factories import certifications as cert_factories
from tests.factories.community import OrganisationFactory, ProductFactory, UserFactory, VendorFactory
from tests.partners.marketplace import authorised_partner, engagement_for

pytestmark = pytest.mark.django_db

Cause = OrganisationTierEvent.Cause


def ladder(vendor, *, gold_satisfaction=None, grace_days=30):
    """Registered (one product), Silver (two certified engineers), Gold (two products, three
    engineers, one engagement delivered)."""
    made = []
    for rank, (name, products, certified, delivered) in enumerate(
        [("Registered", 1, 0, 0), ("Silver", 1, 2, 0), ("Gold", 2, 3, 1)], start=1
    ):
        tier = PartnerTier(
            vendor=vendor,
            name=name,
            slug=name.lower(),
            rank=rank,
            min_products=products,
            min_certified=certified,
            min_delivered=delivered,
            min_satisfaction=gold_satisfaction if name == "Gold" else None,
            grace_days=grace_days,
        )
        made.append(tiers.partner_tier_save(tier=tier, changed_by=None))
    return made


@pytest.fixture
def vendor():
    return VendorFactory(name="Northwind")


@pytest.fixture
def rules(vendor):
    return [make_rule(product=ProductFactory(vendor=vendor, name=name)) for name in ("Router", "Firewall")]


def tier_of(organisation, vendor) -> OrganisationTier | None:
    return OrganisationTier.objects.filter(organisation=organisation, vendor=vendor).select_related("tier").first()


def certify(organisation, rules, engineers: int):
    """`engineers` members each certified on every rule's certification, and rights recomputed."""
    certifications = [c for rule in rules for c in rule.certifications.all()]
    people = [engineer_with(organisation, *certifications) for _ in range(engineers)]
    recompute(organisation)
    return people


def test_tiers_follow_the_facts_and_each_change_is_an_event(vendor, rules):
    registered, silver, gold = ladder(vendor)
    organisation = OrganisationFactory()
    certify(organisation, rules[:1], 1)
    assert tiers.organisation_tiers_recompute(organisation_id=organisation.pk, cause=Cause.RIGHTS_CHANGED)
    row = tier_of(organisation, vendor)
    assert row.tier == registered and row.grace_ends_at is None
    assert row.facts == {"products": 1, "certified": 1, "delivered": 0, "responses": 0, "satisfaction": None}
    certify(organisation, rules, 2)
    tiers.organisation_tiers_recompute(organisation_id=organisation.pk, cause=Cause.RIGHTS_CHANGED)
    # Two products, three engineers, but no engagement delivered: Silver, not Gold.
    assert tier_of(organisation, vendor).tier == silver
    events = list(OrganisationTierEvent.objects.filter(organisation_tier__organisation=organisation))
    assert [(e.from_tier_id, e.to_tier_id, e.cause) for e in events] == [
        (None, registered.pk, Cause.RIGHTS_CHANGED),
        (registered.pk, silver.pk, Cause.RIGHTS_CHANGED),
    ]
    assert events[1].facts["certified"] == 3 and events[1].facts["products"] == 2


def test_a_second_recomputation_writes_nothing(vendor, rules):
    ladder(vendor)
    organisation = OrganisationFactory()
    certify(organisation, rules, 2)
    # A certificate whose holder belongs to no organisation counts for nobody.
    cert_factories.certificate(holder=UserFactory(), certification_page=rules[0].certifications.get())
    assert tiers.tiers_recompute_all(cause=Cause.SWEEP)
    assert tiers.tiers_recompute_all(cause=Cause.SWEEP) == []
    assert tiers.organisation_tiers_recompute(organisation_id=organisation.pk, cause=Cause.SWEEP) == []
    assert OrganisationTierEvent.objects.count() == 1
    assert tiers_sweep() == 0


def test_a_partner_keeps_its_tier_through_grace_then_moves_down(vendor, rules):
    registered, silver, _gold = ladder(vendor, grace_days=30)
    organisation = OrganisationFactory()
    (leaver, _certs), *_others = certify(organisation, rules[:1], 2)
    tiers.organisation_tiers_recompute(organisation_id=organisation.pk, cause=Cause.RIGHTS_CHANGED)
    assert tier_of(organisation, vendor).tier == silver
    community_services.membership_end(membership=leaver.memberships.get())
    now = timezone.now()
    tiers.organisation_tiers_recompute(organisation_id=organisation.pk, cause=Cause.PEOPLE_CHANGED, now=now)
    row = tier_of(organisation, vendor)
    assert row.tier == silver and row.grace_ends_at == now + timedelta(days=30)
    assert row.facts["certified"] == 1
    # Nothing moves while the grace runs; the sweep after it ends moves the partner down.
    assert tiers.tiers_recompute_all(cause=Cause.SWEEP, now=now + timedelta(days=29)) == []
    tiers.tiers_recompute_all(cause=Cause.SWEEP, now=now + timedelta(days=30))
    row = tier_of(organisation, vendor)
    assert row.tier == registered and row.grace_ends_at is None
    last = row.events.last()
    assert (last.from_tier, last.to_tier, last.cause) == (silver, registered, Cause.GRACE_ENDED)


def test_recovering_during_grace_keeps_the_tier(vendor, rules):
    _registered, silver, _gold = ladder(vendor)
    organisation = OrganisationFactory()
    (leaver, _certs), *_others = certify(organisation, rules[:1], 2)
    tiers.organisation_tiers_recompute(organisation_id=organisation.pk, cause=Cause.RIGHTS_CHANGED)
    community_services.membership_end(membership=leaver.memberships.get())
    tiers.organisation_tiers_recompute(organisation_id=organisation.pk, cause=Cause.PEOPLE_CHANGED)
    assert tier_of(organisation, vendor).grace_ends_at is not None
    certify(organisation, rules[:1], 1)
    tiers.organisation_tiers_recompute(organisation_id=organisation.pk, cause=Cause.PEOPLE_CHANGED)
    row = tier_of(organisation, vendor)
    assert row.tier == silver and row.grace_ends_at is None
    assert [(e.from_tier_id, e.to_tier_id, bool(e.grace_ends_at)) for e in row.events.all()][1:] == [
        (silver.pk, silver.pk, True),
        (silver.pk, silver.pk, False),
    ]


def test_satisfaction_counts_from_five_answers_for_the_vendors_engagements(vendor, rules):
    *_lower, gold = ladder(vendor, gold_satisfaction=Decimal("4.0"))
    partner = authorised_partner(rules[0].product, rules[1].product)
    certify(partner, rules, 3)
    for n in range(4):
        engagement = engagement_for(partner, rules[0].product, email=f"c{n}@customer.example", delivered=True)
        engagements.survey_answer(engagement_id=engagement.pk, satisfaction=5, recommend=9)
    tiers.organisation_tiers_recompute(organisation_id=partner.pk, cause=Cause.SURVEY_ANSWERED)
    row = tier_of(partner, vendor)
    assert row.tier.name == "Silver" and row.facts["responses"] == 4 and row.facts["delivered"] == 4
    # Another vendor's engagement answered counts for that vendor, not this one.
    other = ProductFactory()
    make_rule(product=other)
    Engagement.objects.create(
        organisation=partner, vendor=other.vendor, customer_company="X", contact_name="X", contact_email="x@x.example"
    )
    engagement = engagement_for(partner, rules[0].product, email="c5@customer.example", delivered=True)
    engagements.survey_answer(engagement_id=engagement.pk, satisfaction=4, recommend=8)
    tiers.organisation_tiers_recompute(organisation_id=partner.pk, cause=Cause.SURVEY_ANSWERED)
    row = tier_of(partner, vendor)
    assert row.tier == gold and row.facts["responses"] == 5 and row.facts["satisfaction"] == 4.8


def test_events_queue_the_recomputation(vendor, rules, django_capture_on_commit_callbacks):
    _registered, silver, gold = ladder(vendor)
    partner = authorised_partner()
    certifications = [c for rule in rules for c in rule.certifications.all()]
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            engineer_with(partner, *certifications)
    with django_capture_on_commit_callbacks(execute=True):
        recompute(partner)  # rights saved: the tier follows
    assert tier_of(partner, vendor).tier == silver
    engagement = Engagement.objects.create(
        organisation=partner, vendor=vendor, customer_company="C", contact_name="C", contact_email="c@c.example"
    )
    with django_capture_on_commit_callbacks(execute=True):
        engagements.engagement_deliver(engagement_id=engagement.pk, user=partner.admin)
    row = tier_of(partner, vendor)
    assert row.tier == gold and row.events.last().cause == Cause.ENGAGEMENT_DELIVERED


def test_a_member_leaving_queues_the_recomputation(vendor, rules, django_capture_on_commit_callbacks):
    ladder(vendor)
    organisation = OrganisationFactory()
    (leaver, _certs), *_others = certify(organisation, rules[:1], 2)
    tiers.organisation_tiers_recompute(organisation_id=organisation.pk, cause=Cause.RIGHTS_CHANGED)
    with django_capture_on_commit_callbacks(execute=True):
        community_services.membership_end(membership=leaver.memberships.get())
    row = tier_of(organisation, vendor)
    assert row.grace_ends_at is not None and row.facts["certified"] == 1


def test_changing_a_tier_is_audited_and_recomputes_the_vendors_partners(
    vendor, rules, django_capture_on_commit_callbacks
):
    registered, silver, _gold = ladder(vendor)
    organisation = OrganisationFactory()
    certify(organisation, rules[:1], 2)
    tiers.organisation_tiers_recompute(organisation_id=organisation.pk, cause=Cause.RIGHTS_CHANGED)
    editor = UserFactory()
    silver.min_certified = 1
    with django_capture_on_commit_callbacks(execute=True):
        tiers.partner_tier_save(tier=silver, changed_by=editor)
    change = PartnerTierChange.objects.filter(tier=silver).first()
    assert change.changed_by == editor
    assert (change.before["min_certified"], change.after["min_certified"]) == (2, 1)
    assert tier_of(organisation, vendor).tier == silver
    # Saving it unchanged records nothing.
    tiers.partner_tier_save(tier=PartnerTier.objects.get(pk=silver.pk), changed_by=editor)
    assert PartnerTierChange.objects.filter(tier=silver).count() == 2  # created, then changed
    assert registered.changes.count() == 1


def test_a_higher_tier_may_not_be_easier_than_a_lower_one(vendor):
    _registered, silver, gold = ladder(vendor, gold_satisfaction=Decimal("4.5"))
    gold.min_certified = 1
    with pytest.raises(ValidationError) as raised:
        tiers.partner_tier_save(tier=gold, changed_by=None)
    assert raised.value.message_dict["min_certified"] == [
        "“Gold” (rank 3) would be easier to reach than “Silver” (rank 2): certified engineers needed 1, against 2."
    ]
    silver.refresh_from_db()
    silver.min_satisfaction = Decimal("4.8")
    with pytest.raises(ValidationError) as raised:
        tiers.partner_tier_save(tier=silver, changed_by=None)
    assert "min_satisfaction" in raised.value.message_dict
    assert PartnerTier.objects.get(pk=silver.pk).min_satisfaction is None


def test_recomputing_every_organisation_runs_a_fixed_number_of_queries(vendor, rules, count_queries):
    ladder(vendor)
    for _ in range(2):
        certify(OrganisationFactory(), rules, 2)
    with count_queries() as few:
        tiers.tiers_recompute_all(cause=Cause.SWEEP)
    for _ in range(4):
        certify(OrganisationFactory(), rules, 3)
    with count_queries() as many:
        tiers.tiers_recompute_all(cause=Cause.SWEEP)
    assert len(many) == len(few), many.sql()
    many.assert_at_most(12)  # with the savepoints
    organisation = OrganisationFactory()
    certify(organisation, rules, 1)
    with count_queries() as one:
        tiers.organisation_tiers_recompute(organisation_id=organisation.pk, cause=Cause.RIGHTS_CHANGED)
    one.assert_at_most(12)


def test_without_tiers_a_recomputation_reads_only_the_tiers(rules, count_queries):
    organisation = OrganisationFactory()
    certify(organisation, rules, 1)
    with count_queries() as queries:
        assert tiers.organisation_tiers_recompute(organisation_id=organisation.pk, cause=Cause.RIGHTS_CHANGED) == []
    queries.assert_at_most(3)  # the tiers, and the savepoints
    assert DeliveryRightEvent.objects.exists() and not OrganisationTier.objects.exists()


def test_a_superseded_versions_certificate_stops_counting_engineers(vendor, rules):
    ladder(vendor)
    organisation = OrganisationFactory()
    certify(organisation, rules[:1], 2)
    old = rules[0].certifications.get()
    before = tiers.tier_facts(organisation_ids=[organisation.pk], vendor_ids=[vendor.pk], now=timezone.now())
    cert_factories.certification(
        vendor=vendor, supersedes=old, supersedes_counts_until=timezone.localdate() - timedelta(days=1)
    )
    after = tiers.tier_facts(organisation_ids=[organisation.pk], vendor_ids=[vendor.pk], now=timezone.now())
    assert (before[(organisation.pk, vendor.pk)].certified, after[(organisation.pk, vendor.pk)].certified) == (2, 0)
