"""Who is offered a customer's request next: a pure function over facts the caller gathers
(`partners.routing_facts`), so the same facts always give the same partners.

The rule, which the request page and the partner's lead inbox both explain:
1. Only partners holding a right (active or in grace) to every product asked for, in the
   customer's region, are candidates; partners already offered the request are skipped.
2. Partners the customer picked come first, in the customer's order.
3. Partners whose rights are all active come before partners with a right in grace.
4. Within each group, weighted round-robin: the partner with the fewest offers in the last 90
   days for its weight goes first. The weight is 1 plus the partner's trust (0 to 1: its average
   satisfaction, once it has enough answers to show one), so a well-rated partner is offered up to
   twice as often, and the size of a company plays no part. Ties go to the partner that joined
   the programme first, then to the lower id."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Candidate:
    organisation_id: int
    joined_at: datetime
    in_grace: bool = False
    trust: float = 0.0
    recent_offers: int = 0

    @property
    def weight(self) -> float:
        return 1.0 + min(max(self.trust, 0.0), 1.0)


def routing_order(
    candidates: list[Candidate], *, already_offered: frozenset[int] = frozenset(), chosen: tuple[int, ...] = ()
) -> list[Candidate]:
    """The candidates not yet offered, best first (see the module's rule)."""
    picked = {organisation_id: position for position, organisation_id in enumerate(chosen)}
    open_candidates = [c for c in candidates if c.organisation_id not in already_offered]
    return sorted(
        open_candidates,
        key=lambda c: (
            picked.get(c.organisation_id, len(picked)),
            c.in_grace,
            c.recent_offers / c.weight,
            c.joined_at,
            c.organisation_id,
        ),
    )


def next_offers(
    candidates: list[Candidate],
    *,
    already_offered: frozenset[int] = frozenset(),
    chosen: tuple[int, ...] = (),
    pending: int = 0,
    at_once: int = 3,
) -> list[Candidate]:
    """The partners to offer now so that `at_once` offers are out, `pending` of them already."""
    return routing_order(candidates, already_offered=already_offered, chosen=chosen)[: max(at_once - pending, 0)]
