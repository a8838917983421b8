"""Delivery rights: derived from certificates, never typed in.

An engineer holds a product's right while they hold a valid certificate (status valid and not past
its expiry date) of one of the certifications the product's rule counts. A partner organisation
holds it while at least `min_engineers` distinct current members do; with a per-engineer cap, one
engineer counts towards at most `cap` capped products of that vendor. Rights move
active -> grace -> lapsed and back to active, and each transition is a `DeliveryRightEvent` naming
the certificates that counted. Rule changes apply from then on: past events are never rewritten.

Every function takes `now=` so the demo and the tests can move time. To build a history (the
demo): inside one transaction, issue, expire and revoke certificates through their services and
call `rights_recompute_organisation(now=...)` in chronological order; the recomputations the
certificate and membership signals queue run after commit, at the real time, and add only what
the time since implies (a grace that has ended lapses).

Each right written is announced with `right_changed` (`certifications.rights.signals`) inside the
same transaction, so what follows from it (the right's credential and its status bits) commits
with it or not at all.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from certifications.models import (
    Certificate,
    DeliveryRightEvent,
    DeliveryRightRule,
    DeliveryRightRuleChange,
    OrganisationDeliveryRight,
    RightsCheck,
    RightStatus,
)
from certifications.models.rights import HOLDING
from certifications.rights.signals import right_changed
from community.models import Membership, PartnerOrganisation, User
from community.selectors import membership_current

logger = logging.getLogger(__name__)

Cause = DeliveryRightEvent.Cause
DRIFT_LOGGED = 10  # drifted rights named in the warning; the RightsCheck row keeps every one


@dataclass(frozen=True)
class RuleFacts:
    """What the computation needs of a rule, read once."""

    product_id: int
    product_name: str
    vendor_id: int
    certification_ids: frozenset[int]
    min_engineers: int
    grace_days: int
    cap: int | None


@dataclass
class Counted:
    """The engineers (user ids) and certificates that count towards one product right."""

    engineers: set[int] = field(default_factory=set)
    certificates: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Transition:
    """What one right becomes: its new fields and, when the status changes, the event to write."""

    status: str
    active_since: datetime | None
    grace_ends_at: datetime | None
    lapsed_at: datetime | None
    certified_engineers: int
    event_from: str | None  # None: no status change, so no event
    cause: str


# --- Computation (pure) -------------------------------------------------------------------------


def _allocate(
    *, rules: list[RuleFacts], holders: dict[int, dict[int, set[int]]], held_before: set[int]
) -> dict[int, Counted]:
    """Which engineers count towards which product. `holders[product_id]` maps each engineer
    qualifying for the product to the certificate ids that qualify them.

    Uncapped products count every qualifying engineer. Capped products of one vendor share each
    engineer's budget, allocated deterministically: products the organisation already holds
    first, then by name and id; within a product, engineers with the fewest capped options first,
    then by id. A first pass gives each product only the engineers it needs (so as many products
    as possible are held), a second pass counts the remaining budget as extra engineers."""
    counted = {rule.product_id: Counted() for rule in rules}

    def take(product_id: int, engineer: int) -> None:
        counted[product_id].engineers.add(engineer)
        counted[product_id].certificates |= holders[product_id][engineer]

    capped_by_vendor: dict[int, list[RuleFacts]] = defaultdict(list)
    for rule in rules:
        if rule.cap is None:
            for engineer in holders.get(rule.product_id, {}):
                take(rule.product_id, engineer)
        else:
            capped_by_vendor[rule.vendor_id].append(rule)

    for vendor_rules in capped_by_vendor.values():
        _allocate_capped(rules=vendor_rules, holders=holders, held_before=held_before, counted=counted, take=take)
    return counted


def _allocate_capped(*, rules: list[RuleFacts], holders, held_before: set[int], counted, take) -> None:
    """Share each engineer's budget among one vendor's capped products (see `_allocate`)."""
    rules = sorted(rules, key=lambda r: (r.product_id not in held_before, r.product_name, r.product_id))
    options: dict[int, int] = defaultdict(int)
    for rule in rules:
        for engineer in holders.get(rule.product_id, {}):
            options[engineer] += 1
    used: dict[int, int] = defaultdict(int)

    def candidates(rule: RuleFacts) -> list[int]:
        taken = counted[rule.product_id].engineers
        free = [e for e in holders.get(rule.product_id, {}) if used[e] < rule.cap and e not in taken]
        return sorted(free, key=lambda e: (options[e], e))

    for rule in rules:
        free = candidates(rule)
        if len(free) >= rule.min_engineers:
            for engineer in free[: rule.min_engineers]:
                take(rule.product_id, engineer)
                used[engineer] += 1
    for rule in rules:
        for engineer in candidates(rule):
            take(rule.product_id, engineer)
            used[engineer] += 1


def _transition(*, right: OrganisationDeliveryRight | None, rule: RuleFacts, count: int, cause: str, now: datetime):
    """The next state of one right given the engineers counted now, or None when nothing is to
    be stored (an organisation that never qualified gets no row)."""
    qualifies = count >= rule.min_engineers
    if right is None:
        if not qualifies:
            return None
        return Transition(RightStatus.ACTIVE, now, None, None, count, "", cause)
    status = right.status
    if qualifies:
        if status == RightStatus.ACTIVE:
            return Transition(status, right.active_since, None, None, count, None, cause)
        since = right.active_since if status == RightStatus.GRACE else now
        return Transition(RightStatus.ACTIVE, since, None, None, count, status, cause)
    if status == RightStatus.ACTIVE:
        ends = now + timedelta(days=rule.grace_days)
        if ends <= now:
            return Transition(RightStatus.LAPSED, right.active_since, None, now, count, status, cause)
        return Transition(RightStatus.GRACE, right.active_since, ends, None, count, status, cause)
    if status == RightStatus.GRACE and right.grace_ends_at <= now:
        return Transition(RightStatus.LAPSED, right.active_since, None, now, count, status, Cause.GRACE_ENDED)
    return Transition(status, right.active_since, right.grace_ends_at, right.lapsed_at, count, None, cause)


# --- Reading what the computation needs -----------------------------------------------------------


def rule_facts(rules) -> list[RuleFacts]:
    """Rules (with `product` selected) as facts; their certifications in one query."""
    rules = list(rules)
    certs: dict[int, set[int]] = defaultdict(set)
    through = DeliveryRightRule.certifications.through.objects.filter(deliveryrightrule_id__in=[r.pk for r in rules])
    for rule_id, certification_id in through.values_list("deliveryrightrule_id", "certificationpage_id"):
        certs[rule_id].add(certification_id)
    return [
        RuleFacts(
            product_id=r.product_id,
            product_name=r.product.name,
            vendor_id=r.product.vendor_id,
            certification_ids=frozenset(certs[r.pk]),
            min_engineers=r.min_engineers,
            grace_days=r.grace_days,
            cap=r.max_products_per_engineer,
        )
        for r in rules
    ]


@dataclass
class _OrganisationData:
    certificates: list[tuple[int, int, int]] = field(default_factory=list)  # (id, holder, certification)
    rights: dict[int, OrganisationDeliveryRight] = field(default_factory=dict)


def _holders(*, rules: list[RuleFacts], certificates: list[tuple[int, int, int]]) -> dict[int, dict[int, set[int]]]:
    by_certification: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for certificate_id, holder_id, certification_id in certificates:
        by_certification[certification_id].append((holder_id, certificate_id))
    holders: dict[int, dict[int, set[int]]] = {}
    for rule in rules:
        per_engineer: dict[int, set[int]] = defaultdict(set)
        for certification_id in rule.certification_ids:
            for holder_id, certificate_id in by_certification.get(certification_id, ()):
                per_engineer[holder_id].add(certificate_id)
        holders[rule.product_id] = dict(per_engineer)
    return holders


def _plan(*, data: _OrganisationData, rules: list[RuleFacts], cause: str, now: datetime):
    """`[(rule, right or None, Transition, certificate ids)]` for every right that is to be
    stored; pure, so the nightly re-check can compare it with what is stored."""
    held_before = {pid for pid, right in data.rights.items() if right.status in HOLDING}
    holders = _holders(rules=rules, certificates=data.certificates)
    counted = _allocate(rules=rules, holders=holders, held_before=held_before)
    plan = []
    for rule in rules:
        right = data.rights.get(rule.product_id)
        result = counted[rule.product_id]
        transition = _transition(right=right, rule=rule, count=len(result.engineers), cause=cause, now=now)
        if transition is not None:
            plan.append((rule, right, transition, result.certificates))
    return plan


def rights_evaluate(
    *, certificates: list[tuple[int, int, int]], rights: dict, rules: list[RuleFacts], now: datetime
) -> list[tuple[RuleFacts, object, Transition, set[int]]]:
    """What the rules make of one organisation's rights at `now`, given the counting
    certificates of its current members as `(id, holder, certification)` and its rights by
    product (stored rows, or any object with their status fields). Pure: the engine stores the
    result, the forecast replays it on the days the facts change."""
    data = _OrganisationData(certificates=certificates, rights=rights)
    return _plan(data=data, rules=rules, cause=Cause.RECHECK, now=now)


def _changed(right: OrganisationDeliveryRight | None, transition: Transition) -> bool:
    if right is None:
        return True
    return (right.status, right.active_since, right.grace_ends_at, right.lapsed_at, right.certified_engineers) != (
        transition.status,
        transition.active_since,
        transition.grace_ends_at,
        transition.lapsed_at,
        transition.certified_engineers,
    )


def _lock_organisation(organisation_id: int) -> bool:
    """Serialise recomputations of one organisation: a row lock on PostgreSQL (SQLite
    serialises writers anyway). False when the organisation no longer exists."""
    if connection.vendor == "postgresql":
        return PartnerOrganisation.objects.select_for_update().filter(pk=organisation_id).exists()
    return PartnerOrganisation.objects.filter(pk=organisation_id).exists()


# --- Services ---------------------------------------------------------------------------------------


@transaction.atomic
def rights_recompute_organisation(*, organisation_id: int, cause: str, now: datetime | None = None) -> list[str]:
    """Recompute every delivery right of one organisation at `now` and store what changed.

    Locks the organisation row first, so concurrent recomputations (a certificate issued while a
    member leaves) run one after the other and each sees the other's result: one row per product,
    one event per transition. Returns the transitions written as "product_id:from->to"."""
    now = now or timezone.now()
    if not _lock_organisation(organisation_id):
        return []
    data = _OrganisationData()
    members = Membership.objects.current().filter(organisation_id=organisation_id).values("user_id")
    data.certificates = list(
        Certificate.objects.counting_on(now.date())
        .filter(holder_id__in=members)
        .values_list("pk", "holder_id", "certification_id")
    )
    data.rights = {
        right.product_id: right
        for right in OrganisationDeliveryRight.objects.filter(organisation_id=organisation_id).select_for_update()
    }
    held_certifications = {certification_id for _pk, _holder, certification_id in data.certificates}
    rules = rule_facts(
        DeliveryRightRule.objects.filter(
            Q(certifications__in=held_certifications) | Q(product_id__in=list(data.rights))
        )
        .distinct()
        .select_related("product")
    )
    # Capped products of a vendor share engineers, so all of that vendor's capped rules count.
    capped_vendors = {r.vendor_id for r in rules if r.cap is not None}
    if capped_vendors:
        known = {r.product_id for r in rules}
        extra = DeliveryRightRule.objects.filter(
            product__vendor_id__in=capped_vendors, max_products_per_engineer__isnull=False
        ).exclude(product_id__in=known)
        rules += rule_facts(extra.select_related("product"))
    return _apply(organisation_id=organisation_id, data=data, rules=rules, cause=cause, now=now)


def rights_recompute_queue(*, organisation_id: int, cause: str) -> None:
    """Queue `rights_recompute` for the organisation once the current transaction commits (at
    once outside one), so the task reads what the change wrote."""
    from certifications.rights.tasks import rights_recompute

    transaction.on_commit(lambda: rights_recompute.delay(organisation_id=organisation_id, cause=cause))


def rights_recompute_queue_for_holder(*, holder: User, cause: str) -> None:
    """Queue the recomputation a certificate change calls for: a certificate counts for its
    holder's current organisation only, so a holder who belongs to none queues nothing."""
    membership = membership_current(user=holder)
    if membership is not None:
        rights_recompute_queue(organisation_id=membership.organisation_id, cause=cause)


def _apply(*, organisation_id: int, data: _OrganisationData, rules: list[RuleFacts], cause: str, now: datetime):
    written = []
    for rule, right, transition, certificate_ids in _plan(data=data, rules=rules, cause=cause, now=now):
        if not _changed(right, transition):
            continue
        values = {
            "status": transition.status,
            "active_since": transition.active_since,
            "grace_ends_at": transition.grace_ends_at,
            "lapsed_at": transition.lapsed_at,
            "certified_engineers": transition.certified_engineers,
            "updated_at": now,
        }
        if right is None:
            right = OrganisationDeliveryRight.objects.create(
                organisation_id=organisation_id, product_id=rule.product_id, **values
            )
        else:
            for name, value in values.items():
                setattr(right, name, value)
            right.save(update_fields=list(values))
        right_changed.send(sender=OrganisationDeliveryRight, right=right, from_status=transition.event_from, now=now)
        if transition.event_from is None:
            continue
        event = DeliveryRightEvent.objects.create(
            right=right,
            at=now,
            from_status=transition.event_from,
            to_status=transition.status,
            cause=transition.cause,
            certified_engineers=transition.certified_engineers,
            required_engineers=rule.min_engineers,
            grace_ends_at=transition.grace_ends_at,
        )
        event.certificates.set(sorted(certificate_ids))
        written.append(f"{rule.product_id}:{transition.event_from or '-'}->{transition.status}")
    return written


def rights_recompute_product(*, product_id: int, cause: str, now: datetime | None = None) -> int:
    """Recompute, organisation by organisation, everyone the product's rule may concern: those
    holding a row for it and those with a current member holding a counting certificate.
    Returns how many organisations were recomputed."""
    now = now or timezone.now()
    holders = (
        Certificate.objects.counting_on(now.date())
        .filter(certification__delivery_rules__product_id=product_id)
        .values("holder_id")
    )
    organisation_ids = set(
        Membership.objects.current().filter(user_id__in=holders).values_list("organisation_id", flat=True)
    ) | set(OrganisationDeliveryRight.objects.filter(product_id=product_id).values_list("organisation_id", flat=True))
    for organisation_id in sorted(organisation_ids):
        rights_recompute_organisation(organisation_id=organisation_id, cause=cause, now=now)
    return len(organisation_ids)


def rights_recheck_all(*, now: datetime | None = None) -> RightsCheck:
    """The nightly re-check: recompute every organisation's rights in memory (a fixed number of
    queries for all of them), compare with the stored rows, record and log what had drifted, then
    fix it through `rights_recompute_organisation` (events with cause "recheck"). Graces whose end
    has passed lapse on the way (cause "grace_ended"); that is time passing, not drift."""
    now = now or timezone.now()
    check = RightsCheck.objects.create(started_at=now)
    rules = rule_facts(DeliveryRightRule.objects.select_related("product"))
    organisation_of = dict(Membership.objects.current().values_list("user_id", "organisation_id"))
    data: dict[int, _OrganisationData] = defaultdict(_OrganisationData)
    certificates = Certificate.objects.counting_on(now.date()).filter(holder_id__in=list(organisation_of))
    for pk, holder_id, certification_id in certificates.values_list("pk", "holder_id", "certification_id"):
        data[organisation_of[holder_id]].certificates.append((pk, holder_id, certification_id))
    for right in OrganisationDeliveryRight.objects.all():
        data[right.organisation_id].rights[right.product_id] = right

    drift, to_fix, to_lapse, checked = [], set(), set(), 0
    for organisation_id, organisation_data in sorted(data.items()):
        checked += len(organisation_data.rights)
        for rule, right, transition, _certs in _plan(data=organisation_data, rules=rules, cause=Cause.RECHECK, now=now):
            if not _changed(right, transition):
                continue
            if transition.cause == Cause.GRACE_ENDED:
                to_lapse.add(organisation_id)
                continue
            to_fix.add(organisation_id)
            drift.append(
                {
                    "organisation": organisation_id,
                    "product": rule.product_id,
                    "stored": right and {"status": right.status, "engineers": right.certified_engineers},
                    "computed": {"status": transition.status, "engineers": transition.certified_engineers},
                }
            )
    if drift:
        logger.warning(
            "Delivery rights drifted for %d rights in %d organisations (RightsCheck %d has them all); first: %s",
            len(drift),
            len(to_fix),
            check.pk,
            drift[:DRIFT_LOGGED],
        )
    for organisation_id in sorted(to_lapse - to_fix):
        rights_recompute_organisation(organisation_id=organisation_id, cause=Cause.GRACE_ENDED, now=now)
    for organisation_id in sorted(to_fix):
        rights_recompute_organisation(organisation_id=organisation_id, cause=Cause.RECHECK, now=now)
    check.checked, check.drifted, check.drift = checked, len(drift), drift
    check.finished_at = timezone.now()
    check.save(update_fields=["checked", "drifted", "drift", "finished_at"])
    return check


# --- Rules --------------------------------------------------------------------------------------


def rule_snapshot(*, rule: DeliveryRightRule) -> dict:
    """A rule as plain data for its audit trail (certification ids sorted, titles for reading)."""
    certifications = sorted(rule.certifications.all(), key=lambda c: c.pk)
    return {
        "product": rule.product_id,
        "certifications": [c.pk for c in certifications],
        "certification_titles": [c.title for c in certifications],
        "min_engineers": rule.min_engineers,
        "grace_days": rule.grace_days,
        "max_products_per_engineer": rule.max_products_per_engineer,
    }


@transaction.atomic
def delivery_rule_save(
    *, rule: DeliveryRightRule, certifications, changed_by: User | None, now: datetime | None = None
) -> DeliveryRightRule:
    """Save a rule and its certifications. When anything changed, record a
    `DeliveryRightRuleChange` (before and after, who, when) and, after commit, recompute the
    product's rights in a task. The change applies from then on: past events stay as written."""
    from certifications.rights.tasks import rights_recompute_product as recompute_task

    now = now or timezone.now()
    before = None
    if rule.pk:
        stored = DeliveryRightRule.objects.select_for_update().filter(pk=rule.pk).first()
        before = rule_snapshot(rule=stored) if stored else None
    rule.save()
    rule.certifications.set(certifications)
    after = rule_snapshot(rule=rule)
    if before == after:
        return rule
    DeliveryRightRuleChange.objects.create(rule=rule, changed_at=now, changed_by=changed_by, before=before, after=after)
    product_id = rule.product_id
    transaction.on_commit(lambda: recompute_task.delay(product_id=product_id, cause=Cause.RULE_CHANGED))
    return rule
