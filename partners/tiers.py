"""Partner tiers, recomputed like delivery rights: on every event that can change the facts a
tier asks for (a right, a certificate or a membership changing, an engagement delivered, a survey
answered, a tier's definition changing) and by a daily sweep that ends graces. The facts are read
for any number of organisations in a fixed number of queries, `partners.tier_evaluation` decides,
and only what changed is written: one `OrganisationTierEvent` per change of tier or grace, with
the facts of that moment. A second run with nothing new writes nothing.

Facts per organisation and vendor: products of the vendor it holds a right to (active or grace,
`certifications.rights.selectors`), its current members with a valid certificate counting towards
one of them, engagements for the vendor delivered, and survey answers to those engagements in the
trust profile's window (`partners.trust_rules`)."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.rights import selectors as rights_selectors
from community.models import PartnerOrganisation, User
from partners.directory_cache import directory_results
from partners.models import Engagement, OrganisationTier, OrganisationTierEvent, PartnerTier, PartnerTierChange
from partners.tier_evaluation import TierFacts, TierRule, tier_evaluate, tier_step
from partners.trust_rules import SCORE_WINDOW_DAYS

Cause = OrganisationTierEvent.Cause

# The thresholds a higher tier may not ask less of than a lower one, with how to name them.
THRESHOLDS = ("min_products", "min_certified", "min_delivered", "min_satisfaction")


def _rules(vendor_ids: list[int] | None) -> dict[int, list[TierRule]]:
    tiers = PartnerTier.objects.all() if vendor_ids is None else PartnerTier.objects.filter(vendor_id__in=vendor_ids)
    rules: dict[int, list[TierRule]] = defaultdict(list)
    for tier in tiers.order_by("vendor_id", "rank"):
        rules[tier.vendor_id].append(
            TierRule(
                id=tier.pk,
                rank=tier.rank,
                min_products=tier.min_products,
                min_certified=tier.min_certified,
                min_delivered=tier.min_delivered,
                min_satisfaction=tier.min_satisfaction,
                grace_days=tier.grace_days,
            )
        )
    return rules


def tier_facts(
    *, organisation_ids: list[int] | None, vendor_ids: list[int], now: datetime
) -> dict[tuple[int, int], TierFacts]:
    """`{(organisation_id, vendor_id): TierFacts}` for every pair with any fact (all
    organisations when `organisation_ids` is None). Four queries."""
    products = rights_selectors.vendor_rights_held(organisation_ids=organisation_ids)
    certified = rights_selectors.vendor_certified_headcounts(organisation_ids=organisation_ids, now=now)
    engagements = Engagement.objects.filter(delivered_at__isnull=False, vendor_id__in=vendor_ids)
    if organisation_ids is not None:
        engagements = engagements.filter(organisation_id__in=organisation_ids)
    delivered = {
        (row["organisation_id"], row["vendor_id"]): row["n"]
        for row in engagements.order_by().values("organisation_id", "vendor_id").annotate(n=Count("pk"))
    }
    answered = engagements.filter(response__answered_at__gte=now - timedelta(days=SCORE_WINDOW_DAYS))
    satisfaction = {
        (row["organisation_id"], row["vendor_id"]): (row["n"], row["s"])
        for row in answered.order_by()
        .values("organisation_id", "vendor_id")
        .annotate(n=Count("response"), s=Avg("response__satisfaction"))
    }
    wanted = set(vendor_ids)
    keys = {key for source in (products, certified, delivered, satisfaction) for key in source if key[1] in wanted}
    facts = {}
    for key in keys:
        responses, average = satisfaction.get(key, (0, None))
        facts[key] = TierFacts(
            products=products.get(key, 0),
            certified=certified.get(key, 0),
            delivered=delivered.get(key, 0),
            responses=responses,
            satisfaction=None if average is None else round(float(average), 2),
        )
    return facts


def _recompute(
    *, organisation_ids: list[int] | None, rules: dict[int, list[TierRule]], cause: str, now: datetime
) -> list[str]:
    by_id = {rule.id: rule for vendor_rules in rules.values() for rule in vendor_rules}
    rows = OrganisationTier.objects.filter(vendor_id__in=list(rules))
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=organisation_ids)
    if connection.vendor == "postgresql":
        rows = rows.select_for_update()
    stored = {(row.organisation_id, row.vendor_id): row for row in rows}
    facts = tier_facts(organisation_ids=organisation_ids, vendor_ids=list(rules), now=now)

    created, updated, events, written = [], [], [], []
    for key in sorted(set(stored) | set(facts)):
        organisation_id, vendor_id = key
        row, these = stored.get(key), facts.get(key, TierFacts())
        current = by_id.get(row.tier_id) if row else None
        met = tier_evaluate(rules=rules[vendor_id], facts=these)
        step = tier_step(
            current=current,
            since=row.since if row else None,
            grace_ends_at=row.grace_ends_at if row else None,
            met=met,
            now=now,
        )
        if row is None and step.tier is None:
            continue  # never held one of the vendor's tiers: no row
        values = {
            "tier_id": step.tier.id if step.tier else None,
            "since": step.since,
            "grace_ends_at": step.grace_ends_at,
            "facts": these.as_dict(),
        }
        if row is None:
            row = OrganisationTier(organisation_id=organisation_id, vendor_id=vendor_id, updated_at=now, **values)
            created.append(row)
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = now
            updated.append(row)
        if step.changed:
            events.append(
                (
                    row,
                    OrganisationTierEvent(
                        at=now,
                        from_tier_id=current.id if current else None,
                        to_tier_id=values["tier_id"],
                        grace_ends_at=step.grace_ends_at,
                        facts=values["facts"],
                        cause=Cause.GRACE_ENDED if step.grace_ended else cause,
                    ),
                )
            )
            written.append(
                f"{organisation_id}:{vendor_id}:{current.id if current else '-'}->{values['tier_id'] or '-'}"
            )
    OrganisationTier.objects.bulk_create(created, batch_size=500)
    OrganisationTier.objects.bulk_update(
        updated, ["tier_id", "since", "grace_ends_at", "facts", "updated_at"], batch_size=500
    )
    for row, event in events:
        event.organisation_tier_id = row.pk
    OrganisationTierEvent.objects.bulk_create([event for _row, event in events], batch_size=500)
    if events:
        directory_results.changed()  # a tier or a grace moved; bulk writes send no post_save
    return written


@transaction.atomic
def organisation_tiers_recompute(*, organisation_id: int, cause: str, now: datetime | None = None) -> list[str]:
    """Recompute one organisation's tier with every vendor that has tiers, at `now`, and store
        what changed. Locks the organisation row first (on PostgreSQL; SQLite serialises writers),
        so two recomputations of one organisation run one after the other. Returns the changes
        written as "organisation:vendor:from->to" (tier ids, "-" for none). One query when no vendor
    has tiers, ten at most otherwise."""
    now = now or timezone.now()
    rules = _rules(None)
    if not rules:
        return []
    organisations = PartnerOrganisation.objects.filter(pk=organisation_id)
    if connection.vendor == "postgresql":
        organisations = organisations.select_for_update()
    if not organisations.exists():
        return []
    return _recompute(organisation_ids=[organisation_id], rules=rules, cause=cause, now=now)


@transaction.atomic
def tiers_recompute_all(*, cause: str, vendor_id: int | None = None, now: datetime | None = None) -> list[str]:
    """Recompute every organisation's tiers (with one vendor, or all), in a fixed number of
    queries whatever the number of organisations, plus one write per batch of changes. The daily
    sweep (graces that ended move down, cause "grace_ended") and a tier definition change use it."""
    now = now or timezone.now()
    rules = _rules(None if vendor_id is None else [vendor_id])
    if not rules:
        return []
    return _recompute(organisation_ids=None, rules=rules, cause=cause, now=now)


def tiers_recompute_queue(*, organisation_id: int, cause: str) -> None:
    """Queue `organisation_tiers_recompute` once the current transaction commits (at once outside
    one), so the task reads what the change wrote."""
    from partners.tasks import tiers_recompute

    transaction.on_commit(lambda: tiers_recompute.delay(organisation_id=organisation_id, cause=cause))


# --- Definitions --------------------------------------------------------------------------------


def tier_snapshot(*, tier: PartnerTier) -> dict:
    """A tier as plain data for its audit trail."""
    return {
        "name": tier.name,
        "slug": tier.slug,
        "rank": tier.rank,
        "min_products": tier.min_products,
        "min_certified": tier.min_certified,
        "min_satisfaction": None if tier.min_satisfaction is None else str(tier.min_satisfaction),
        "min_delivered": tier.min_delivered,
        "grace_days": tier.grace_days,
    }


def _threshold_labels() -> dict[str, str]:
    return {
        "min_products": _("products with a delivery right"),
        "min_certified": _("certified engineers needed"),
        "min_delivered": _("engagements delivered"),
        "min_satisfaction": _("minimum satisfaction"),
    }


def _asks_less(higher, lower) -> bool:
    if lower is None:
        return False
    return higher is None or higher < lower


def tier_ladder_errors(*, tier: PartnerTier) -> dict[str, list[str]]:
    """`{field: [message]}` for each threshold in which `tier` (as it would be saved) asks less
    than a lower-ranked tier of its vendor, or more than a higher-ranked one: a better tier is
    never easier to reach. Empty when the ladder holds. One query."""
    others = PartnerTier.objects.filter(vendor_id=tier.vendor_id).exclude(pk=tier.pk).order_by("rank")
    labels = _threshold_labels()
    errors: dict[str, list[str]] = defaultdict(list)
    for other in others:
        if other.rank == tier.rank:
            continue
        lower, higher = (other, tier) if other.rank < tier.rank else (tier, other)
        for name in THRESHOLDS:
            if not _asks_less(getattr(higher, name), getattr(lower, name)):
                continue
            message = _(
                "“%(higher)s” (rank %(higher_rank)d) would be easier to reach than “%(lower)s” (rank "
                "%(lower_rank)d): %(threshold)s %(higher_value)s, against %(lower_value)s."
            ) % {
                "higher": higher.name,
                "higher_rank": higher.rank,
                "lower": lower.name,
                "lower_rank": lower.rank,
                "threshold": labels[name],
                "higher_value": _("none") if getattr(higher, name) is None else getattr(higher, name),
                "lower_value": getattr(lower, name),
            }
            errors[name].append(message)
    return dict(errors)


@transaction.atomic
def partner_tier_save(*, tier: PartnerTier, changed_by: User | None, now: datetime | None = None) -> PartnerTier:
    """Save a tier after checking the vendor's ladder (`tier_ladder_errors`, raised as a
    ValidationError by field). When anything changed, record a `PartnerTierChange` (before and
    after, who, when) and, after commit, recompute every organisation's tier with the vendor."""
    from partners.tasks import tiers_recompute_vendor

    now = now or timezone.now()
    # Lock the vendor's tiers so two editors' changes are checked against each other.
    list(PartnerTier.objects.select_for_update().filter(vendor_id=tier.vendor_id).values_list("pk"))
    errors = tier_ladder_errors(tier=tier)
    if errors:
        raise ValidationError(errors)
    before = None
    if tier.pk:
        stored = PartnerTier.objects.filter(pk=tier.pk).first()
        before = tier_snapshot(tier=stored) if stored else None
    tier.save()
    after = tier_snapshot(tier=tier)
    if before == after:
        return tier
    PartnerTierChange.objects.create(tier=tier, changed_at=now, changed_by=changed_by, before=before, after=after)
    vendor_id = tier.vendor_id
    transaction.on_commit(lambda: tiers_recompute_vendor.delay(vendor_id=vendor_id, cause=Cause.TIER_CHANGED))
    return tier
