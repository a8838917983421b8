"""The delivery-rights forecast: which rights are at risk in the next 30, 60 and 90 days, and who
must recertify on which exam to keep them.

The facts are read once for a set of organisations (a fixed number of queries whatever their
number): the rights they hold, their current members, and the members' counting certificates with
the first day each stops counting (its expiry date, or the day after its superseded version's last
counting day). Then, per organisation, the engine's own evaluation (`rights_evaluate`) is replayed
in memory at each moment a fact changes: a certificate stops counting, a grace period ends. Nothing
is renewed and nobody joins in the replay, so it shows what happens if nobody acts. Engineers who
have left no longer count already today (their right is in its grace period, whose end is the
lapse)."""

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from certifications.models import (
    Certificate,
    CertificationPage,
    DeliveryRightRule,
    OrganisationDeliveryRight,
    RightStatus,
)
from certifications.rights.services import RuleFacts, rights_evaluate, rule_facts
from community.models import Membership, PartnerOrganisation, Product, Region, User

WINDOWS = (30, 60, 90)
HORIZON_DAYS = WINDOWS[-1]


@dataclass(frozen=True)
class Recertify:
    """An engineer whose counting certificate stops counting before the right is at risk, and
    the certification whose exam they must pass (the new version's, when theirs was superseded)."""

    user_id: int
    certificate_id: int
    stops_on: date
    superseded: bool
    certification_id: int


@dataclass
class RightAtRisk:
    organisation_id: int
    product_id: int
    status: str  # today's status: active or grace
    at_risk_on: date  # the first day the rule is no longer met
    lapses_on: date | None  # the day the right would lapse (None: grace ends after the horizon)
    missing: int  # engineers the rule lacks on `at_risk_on`
    recertify: list[Recertify] = field(default_factory=list)

    def within(self, today: date) -> int:
        """The smallest forecast window (30, 60 or 90 days) the risk falls in."""
        days = (self.at_risk_on - today).days
        return next(window for window in WINDOWS if days <= window)


@dataclass
class _Right:
    """A right's status fields as the replay moves them (the evaluation reads nothing else)."""

    status: str
    active_since: datetime | None
    grace_ends_at: datetime | None
    lapsed_at: datetime | None


@dataclass
class _Facts:
    rights: dict[int, _Right] = field(default_factory=dict)
    # (certificate, holder, certification, stops counting on, superseded, certification to take)
    certificates: list[tuple[int, int, int, date, bool, int]] = field(default_factory=list)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _certificate_facts(*, holders, certification_ids, today: date):
    """Counting certificates of `holders` with the first day each stops counting, in one query."""
    newer = CertificationPage.objects.filter(supersedes=OuterRef("certification_id"), live=True)
    rows = (
        Certificate.objects.counting_on(today)
        .filter(holder_id__in=holders, certification_id__in=certification_ids)
        .annotate(
            successor_id=Subquery(newer.values("pk")[:1]), until=Subquery(newer.values("supersedes_counts_until")[:1])
        )
        .values_list("pk", "holder_id", "certification_id", "expires_on", "successor_id", "until")
    )
    for pk, holder_id, certification_id, expires_on, successor_id, until in rows:
        stops = expires_on
        superseded = until is not None and until + timedelta(days=1) < expires_on
        if superseded:
            stops = until + timedelta(days=1)
        yield pk, holder_id, certification_id, stops, superseded, successor_id or certification_id


def rights_forecast(
    *, organisation_ids=None, vendor_id: int | None = None, now: datetime | None = None, days: int = HORIZON_DAYS
) -> list[RightAtRisk]:
    """Every active or grace right (of `vendor_id`'s products, or all) of the organisations
    (`organisation_ids`, or all) that is at risk within `days`, soonest first. Five queries."""
    now = now or timezone.now()
    today = now.date()
    rules_qs = DeliveryRightRule.objects.select_related("product")
    rights_qs = OrganisationDeliveryRight.objects.holding()
    members_qs = Membership.objects.current()
    if vendor_id is not None:
        rules_qs = rules_qs.filter(product__vendor_id=vendor_id)
        rights_qs = rights_qs.filter(product__vendor_id=vendor_id)
    if organisation_ids is not None:
        rights_qs = rights_qs.filter(organisation_id__in=organisation_ids)
        members_qs = members_qs.filter(organisation_id__in=organisation_ids)
    rules = rule_facts(rules_qs)
    facts: dict[int, _Facts] = defaultdict(_Facts)
    for right in rights_qs.only(
        "organisation_id", "product_id", "status", "active_since", "grace_ends_at", "lapsed_at"
    ):
        facts[right.organisation_id].rights[right.product_id] = _Right(
            right.status, right.active_since, right.grace_ends_at, right.lapsed_at
        )
    if not facts:
        return []
    organisation_of = dict(members_qs.filter(organisation_id__in=list(facts)).values_list("user_id", "organisation_id"))
    certification_ids = set().union(*(rule.certification_ids for rule in rules))
    holders = members_qs.filter(organisation_id__in=list(facts)).values("user_id")
    for row in _certificate_facts(holders=holders, certification_ids=certification_ids, today=today):
        facts[organisation_of[row[1]]].certificates.append(row)
    horizon = now + timedelta(days=days)
    at_risk = []
    for organisation_id, organisation_facts in sorted(facts.items()):
        at_risk += _replay(
            organisation_id=organisation_id, facts=organisation_facts, rules=rules, now=now, horizon=horizon
        )
    return sorted(at_risk, key=lambda r: (r.at_risk_on, r.organisation_id, r.product_id))


def _replay(*, organisation_id: int, facts: _Facts, rules: list[RuleFacts], now: datetime, horizon: datetime):
    """Evaluate the rules at `now` and at each later moment a fact changes, up to `horizon`."""
    moments = {now}
    moments |= {_midnight(stops) for *_ids, stops, _s, _c in facts.certificates if _midnight(stops) <= horizon}
    moments |= {r.grace_ends_at for r in facts.rights.values() if r.grace_ends_at and now < r.grace_ends_at <= horizon}
    queue = sorted(m for m in moments if m >= now)
    heapq.heapify(queue)
    status_now = {product_id: right.status for product_id, right in facts.rights.items()}
    risks: dict[int, RightAtRisk] = {}
    seen = set()
    while queue:
        moment = heapq.heappop(queue)
        if moment in seen:
            continue
        seen.add(moment)
        day = moment.date()
        counting = [(pk, holder, cert) for pk, holder, cert, stops, _s, _c in facts.certificates if stops > day]
        for rule, right, transition, _ids in rights_evaluate(
            certificates=counting, rights=facts.rights, rules=rules, now=moment
        ):
            if right is None or right.status == RightStatus.LAPSED:
                continue  # a right not held today is not at risk
            right.status, right.active_since = transition.status, transition.active_since
            right.grace_ends_at, right.lapsed_at = transition.grace_ends_at, transition.lapsed_at
            if transition.status == RightStatus.ACTIVE or rule.product_id in risks:
                if rule.product_id in risks and transition.status == RightStatus.LAPSED:
                    risks[rule.product_id].lapses_on = day
                continue
            risks[rule.product_id] = RightAtRisk(
                organisation_id=organisation_id,
                product_id=rule.product_id,
                status=status_now[rule.product_id],
                at_risk_on=day,
                lapses_on=day if transition.status == RightStatus.LAPSED else None,
                missing=max(0, rule.min_engineers - transition.certified_engineers),
                recertify=_recertify(facts=facts, rule=rule, today=now.date(), by=day),
            )
            if transition.grace_ends_at and transition.grace_ends_at <= horizon:
                heapq.heappush(queue, transition.grace_ends_at)
    for product_id, risk in risks.items():
        right = facts.rights[product_id]
        if risk.lapses_on is None and right.grace_ends_at is not None:
            risk.lapses_on = right.grace_ends_at.date()
    return list(risks.values())


def _recertify(*, facts: _Facts, rule: RuleFacts, today: date, by: date) -> list[Recertify]:
    """Who holds a certificate of the rule that counts today and stops counting by `by`."""
    return sorted(
        (
            Recertify(holder, pk, stops, superseded, take)
            for pk, holder, certification, stops, superseded, take in facts.certificates
            if certification in rule.certification_ids and today < stops <= by
        ),
        key=lambda r: (r.stops_on, r.user_id),
    )


# --- Shaped for pages ---------------------------------------------------------------------------


@dataclass
class Engineer:
    name: str
    stops_on: date
    superseded: bool
    certification: CertificationPage  # the one whose exam to pass


@dataclass
class ForecastRow:
    risk: RightAtRisk
    product: Product
    organisation: PartnerOrganisation | None
    engineers: list[Engineer]
    window: int


def _rows(*, risks: list[RightAtRisk], today: date, with_organisations: bool = False) -> list[ForecastRow]:
    """Risks with their products, engineers' names and certifications: three more queries."""
    products = Product.objects.select_related("vendor").in_bulk({r.product_id for r in risks})
    names = dict(
        User.objects.filter(pk__in={e.user_id for r in risks for e in r.recertify}).values_list("pk", "full_name")
    )
    certifications = CertificationPage.objects.in_bulk({e.certification_id for r in risks for e in r.recertify})
    organisations = (
        PartnerOrganisation.objects.in_bulk({r.organisation_id for r in risks}) if with_organisations else {}
    )
    return [
        ForecastRow(
            risk=risk,
            product=products[risk.product_id],
            organisation=organisations.get(risk.organisation_id),
            engineers=[
                Engineer(names.get(e.user_id, ""), e.stops_on, e.superseded, certifications[e.certification_id])
                for e in risk.recertify
            ],
            window=risk.within(today),
        )
        for risk in risks
    ]


def organisation_forecast(*, organisation: PartnerOrganisation, now: datetime | None = None) -> list[tuple[int, list]]:
    """The organisation's rights at risk, as `[(window, rows)]` for 30, 60 and 90 days, each
    right in the nearest window its risk falls in. Eight queries."""
    now = now or timezone.now()
    rows = _rows(risks=rights_forecast(organisation_ids=[organisation.pk], now=now), today=now.date())
    return [(window, [row for row in rows if row.window == window]) for window in WINDOWS]


@dataclass
class LapseCount:
    region: str
    region_label: str
    product: Product
    counts: list[int]  # per window, each including the nearer ones


def vendor_forecast(*, vendor, now: datetime | None = None) -> list[LapseCount]:
    """Forecast lapses of `vendor`'s products by region and product, counted per window. Seven
    queries, whatever the number of partners."""
    now = now or timezone.now()
    risks = rights_forecast(vendor_id=vendor.pk, now=now)
    if not risks:
        return []
    regions = dict(
        PartnerOrganisation.objects.filter(pk__in={r.organisation_id for r in risks}).values_list("pk", "region")
    )
    products = Product.objects.in_bulk({r.product_id for r in risks})
    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0] * len(WINDOWS))
    for risk in risks:
        within = risk.within(now.date())
        for index, window in enumerate(WINDOWS):
            counts[(regions[risk.organisation_id], risk.product_id)][index] += within <= window
    labels = dict(Region.choices)
    return sorted(
        (
            LapseCount(region, labels.get(region, region), products[product_id], window_counts)
            for (region, product_id), window_counts in counts.items()
        ),
        key=lambda c: (str(c.region_label), c.product.name),
    )


def vendor_forecast_organisations(
    *, vendor, product: Product, region: str, window: int, now: datetime | None = None
) -> list[ForecastRow]:
    """The organisations behind one count of `vendor_forecast`: their rights of `product` at risk
    within `window` days in `region` (any region when empty), with the engineers to recertify."""
    now = now or timezone.now()
    organisations = PartnerOrganisation.objects.filter(delivery_rights__product=product)
    if region:
        organisations = organisations.filter(region=region)
    risks = [
        r
        for r in rights_forecast(organisation_ids=organisations.values("pk"), vendor_id=vendor.pk, now=now)
        if r.product_id == product.pk and r.within(now.date()) <= window
    ]
    return _rows(risks=risks, today=now.date(), with_organisations=True)
