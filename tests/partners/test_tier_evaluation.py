"""The pure tier evaluation: facts in, tier out, and what a stored tier becomes (upgrade at once,
downgrade after the grace period)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from partners.tier_evaluation import TierFacts, TierRule, tier_evaluate, tier_met, tier_step

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
REGISTERED = TierRule(1, 1, 1, 0, 0, None, 30)
SILVER = TierRule(2, 2, 1, 3, 1, None, 60)
GOLD = TierRule(3, 3, 2, 5, 3, Decimal("4.5"), 90)
LADDER = [GOLD, REGISTERED, SILVER]  # any order


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (TierFacts(), None),
        (TierFacts(products=1), REGISTERED),
        (TierFacts(products=1, certified=3, delivered=1), SILVER),
        (TierFacts(products=2, certified=5, delivered=3, responses=5, satisfaction=4.5), GOLD),
        # Rounded as shown: 4.46 shows as 4.5.
        (TierFacts(products=2, certified=5, delivered=3, responses=6, satisfaction=4.46), GOLD),
        (TierFacts(products=2, certified=5, delivered=3, responses=5, satisfaction=4.4), SILVER),
        # A high average from fewer than five answers does not count.
        (TierFacts(products=2, certified=5, delivered=3, responses=4, satisfaction=5.0), SILVER),
        (TierFacts(products=2, certified=4, delivered=9, responses=9, satisfaction=5.0), SILVER),
        (TierFacts(products=0, certified=50, delivered=50, responses=50, satisfaction=5.0), None),
    ],
)
def test_the_highest_tier_met_is_the_tier(facts, expected):
    assert tier_evaluate(rules=LADDER, facts=facts) == expected


def test_a_tier_without_a_satisfaction_threshold_ignores_the_answers():
    assert tier_met(rule=SILVER, facts=TierFacts(products=1, certified=3, delivered=1, responses=9, satisfaction=1.0))


def test_an_upgrade_is_immediate_and_clears_a_grace():
    step = tier_step(
        current=SILVER, since=NOW - timedelta(days=9), grace_ends_at=NOW + timedelta(days=3), met=GOLD, now=NOW
    )
    assert (step.tier, step.since, step.grace_ends_at, step.changed) == (GOLD, NOW, None, True)
    first = tier_step(current=None, since=None, grace_ends_at=None, met=REGISTERED, now=NOW)
    assert (first.tier, first.since, first.changed) == (REGISTERED, NOW, True)


def test_a_downgrade_waits_for_the_grace_of_the_tier_held():
    since = NOW - timedelta(days=100)
    step = tier_step(current=GOLD, since=since, grace_ends_at=None, met=SILVER, now=NOW)
    assert (step.tier, step.since, step.grace_ends_at, step.changed) == (GOLD, since, NOW + timedelta(days=90), True)
    waiting = tier_step(
        current=GOLD, since=since, grace_ends_at=step.grace_ends_at, met=REGISTERED, now=NOW + timedelta(days=89)
    )
    assert (waiting.tier, waiting.changed) == (GOLD, False)
    ended = tier_step(
        current=GOLD, since=since, grace_ends_at=step.grace_ends_at, met=REGISTERED, now=step.grace_ends_at
    )
    later = step.grace_ends_at
    assert (ended.tier, ended.since, ended.grace_ends_at, ended.changed, ended.grace_ended) == (
        REGISTERED,
        later,
        None,
        True,
        True,
    )


def test_meeting_the_tier_again_during_grace_keeps_it_and_its_since():
    since = NOW - timedelta(days=100)
    step = tier_step(current=GOLD, since=since, grace_ends_at=NOW + timedelta(days=5), met=GOLD, now=NOW)
    assert (step.tier, step.since, step.grace_ends_at, step.changed) == (GOLD, since, None, True)


def test_no_grace_moves_down_at_once_and_below_the_entry_tier_is_none():
    no_grace = TierRule(9, 1, 1, 0, 0, None, 0)
    step = tier_step(current=no_grace, since=NOW - timedelta(days=1), grace_ends_at=None, met=None, now=NOW)
    assert (step.tier, step.since, step.grace_ends_at, step.changed) == (None, None, None, True)


def test_nothing_changes_while_the_tier_is_met():
    since = NOW - timedelta(days=1)
    step = tier_step(current=SILVER, since=since, grace_ends_at=None, met=SILVER, now=NOW)
    assert (step.tier, step.since, step.changed) == (SILVER, since, False)
    assert not tier_step(current=None, since=None, grace_ends_at=None, met=None, now=NOW).changed
