"""Which tier an organisation meets, and what its stored tier becomes: pure functions of the
facts, the vendor's tiers and the time, so they are tested on their own and the recomputation
(`partners.tiers`) only reads and writes around them.

A tier is met when every threshold is: products with a right in force, certified engineers,
engagements delivered and, when the tier asks for one, a satisfaction average that counts (from
`SCORE_MIN_RESPONSES` answers, as on the trust profile). The organisation's tier is the highest
one it meets. Upgrades apply at once; when it stops meeting its tier it keeps the tier for that
tier's grace period, then takes whatever it meets when the grace ends."""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from partners.trust_rules import SCORE_MIN_RESPONSES


@dataclass(frozen=True)
class TierFacts:
    """One organisation's facts with one vendor. `satisfaction` is the average of `responses`
    answers (None without any)."""

    products: int = 0
    certified: int = 0
    delivered: int = 0
    responses: int = 0
    satisfaction: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class TierRule:
    """What the evaluation needs of a tier."""

    id: int
    rank: int
    min_products: int
    min_certified: int
    min_delivered: int
    min_satisfaction: Decimal | None
    grace_days: int


def tier_met(*, rule: TierRule, facts: TierFacts) -> bool:
    if facts.products < rule.min_products or facts.certified < rule.min_certified:
        return False
    if facts.delivered < rule.min_delivered:
        return False
    if rule.min_satisfaction is None:
        return True
    if facts.responses < SCORE_MIN_RESPONSES or facts.satisfaction is None:
        return False
    # Compared as shown (one decimal), so a partner shown 4.5 meets a 4.5 threshold.
    return Decimal(str(round(facts.satisfaction, 1))) >= rule.min_satisfaction


def tier_evaluate(*, rules: list[TierRule], facts: TierFacts) -> TierRule | None:
    """The highest-ranked tier the facts meet, or None."""
    met = [rule for rule in rules if tier_met(rule=rule, facts=facts)]
    return max(met, key=lambda rule: rule.rank, default=None)


@dataclass(frozen=True)
class TierStep:
    """What a stored tier becomes. `changed` is False when neither the tier nor its grace moves
    (no event to write); the facts alone may still have changed."""

    tier: TierRule | None
    since: datetime | None
    grace_ends_at: datetime | None
    changed: bool
    grace_ended: bool = False


def tier_step(
    *,
    current: TierRule | None,
    since: datetime | None,
    grace_ends_at: datetime | None,
    met: TierRule | None,
    now: datetime,
) -> TierStep:
    """The next state of an organisation's tier with a vendor, given the tier it holds
    (`current`, with its grace end if one runs) and the tier it meets now."""
    current_rank = current.rank if current else 0
    met_rank = met.rank if met else 0
    if met_rank > current_rank:
        return TierStep(met, now, None, True)
    if met_rank == current_rank:
        if grace_ends_at is not None:
            return TierStep(current, since, None, True)
        return TierStep(current, since, None, False)
    if grace_ends_at is None:
        ends = now + timedelta(days=current.grace_days)
        if ends <= now:
            return TierStep(met, now if met else None, None, True)
        return TierStep(current, since, ends, True)
    if grace_ends_at <= now:
        return TierStep(met, now if met else None, None, True, grace_ended=True)
    return TierStep(current, since, grace_ends_at, False)
