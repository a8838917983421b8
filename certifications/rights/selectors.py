"""Reads about delivery rights: the products a right can be earned for, the partners holding one
(for other apps), and a partner admin's gap view. The public directory's reads, built on these,
are `partners.selectors`. Each runs a fixed number of queries whatever the number of
organisations, members or rights."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from certifications.models import (
    Certificate,
    CertificationPage,
    CertificationRequiredCourse,
    DeliveryRightRule,
    ExamAttempt,
    OrganisationDeliveryRight,
    RightStatus,
)
from certifications.models.pages import successor_annotations
from certifications.models.rights import HOLDING
from community.models import Membership, PartnerOrganisation, Product, Vendor
from community.models.organisations import membership_current_q
from courses import selectors as course_selectors


def products_with_rules() -> QuerySet[Product]:
    """Products a partner can earn a delivery right for, by vendor and name (filter choices)."""
    return Product.objects.filter(delivery_rule__isnull=False).select_related("vendor").order_by("vendor__name", "name")


# --- Gap view -------------------------------------------------------------------------------------


@dataclass
class Learner:
    """A member on the way to a certificate that would count: course and exam progress."""

    name: str
    courses: list[tuple[str, str]] = field(default_factory=list)  # (course title, status)
    exam_in_progress: bool = False
    failed_at: datetime | None = None


@dataclass
class GapRow:
    product: Product
    rule: DeliveryRightRule
    certifications: list[CertificationPage]
    right: OrganisationDeliveryRight | None
    certified: list[str]
    learners: list[Learner]

    @property
    def status(self) -> str:
        return self.right.status if self.right else ""

    @property
    def holds(self) -> bool:
        return self.status in HOLDING

    @property
    def counted(self) -> int:
        """Engineers counted as last computed (a cap may count fewer than are certified)."""
        return self.right.certified_engineers if self.right else len(self.certified)

    @property
    def missing(self) -> int:
        return max(0, self.rule.min_engineers - self.counted)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.counted / max(1, self.rule.min_engineers)))


@dataclass
class GapVendor:
    vendor: Vendor
    rows: list[GapRow]


def organisation_gap(*, organisation: PartnerOrganisation, now: datetime | None = None) -> list[GapVendor]:
    """Every product with a rule, grouped by vendor (vendors where the organisation holds rights
    first, held products first within a vendor): the rule, the right, which current members hold
    a counting certificate, and who is on the way (enrolled in or part-way through the required
    courses, an exam attempt in progress or failed). Eight queries, whatever the team's size."""
    now = now or timezone.now()
    members = {
        m.user_id: m.user for m in Membership.objects.current().filter(organisation=organisation).select_related("user")
    }
    rules = list(
        DeliveryRightRule.objects.select_related("product__vendor").prefetch_related(
            Prefetch(
                "certifications",
                queryset=CertificationPage.objects.annotate(**successor_annotations()).order_by("title"),
            ),
            Prefetch(
                "certifications__required_courses",
                queryset=CertificationRequiredCourse.objects.select_related("course").order_by("sort_order"),
            ),
        )
    )
    rights = {r.product_id: r for r in OrganisationDeliveryRight.objects.filter(organisation=organisation)}
    certifications = {c.pk: c for rule in rules for c in rule.certifications.all()}
    certification_ids = set(certifications)
    course_ids = {link.course_id for c in certifications.values() for link in c.required_courses.all()}

    holders: dict[int, set[int]] = defaultdict(set)  # certification -> users with a valid one
    for holder_id, certification_id in (
        Certificate.objects.counting_on(now.date())
        .filter(holder_id__in=list(members), certification_id__in=certification_ids)
        .values_list("holder_id", "certification_id")
    ):
        holders[certification_id].add(holder_id)
    course_status = course_selectors.course_statuses_for_users(user_ids=list(members), course_ids=course_ids)
    exams: dict[tuple[int, int], dict] = defaultdict(dict)  # (user, certification) -> progress
    attempts = (
        ExamAttempt.objects.filter(user_id__in=list(members), exam__certification_id__in=certification_ids)
        .filter(Q(status=ExamAttempt.Status.IN_PROGRESS) | Q(passed=False))
        .values_list("user_id", "exam__certification_id", "status", "submitted_at")
    )
    for user_id, certification_id, status, submitted_at in attempts:
        progress = exams[(user_id, certification_id)]
        if status == ExamAttempt.Status.IN_PROGRESS:
            progress["in_progress"] = True
        elif submitted_at and (progress.get("failed_at") is None or submitted_at > progress["failed_at"]):
            progress["failed_at"] = submitted_at

    by_vendor: dict[int, GapVendor] = {}
    for rule in rules:
        certifications = list(rule.certifications.all())
        certified_ids = set().union(*(holders[c.pk] for c in certifications)) if certifications else set()
        row = GapRow(
            product=rule.product,
            rule=rule,
            certifications=certifications,
            right=rights.get(rule.product_id),
            certified=sorted(members[u].full_name for u in certified_ids),
            learners=_learners(members, certified_ids, certifications, course_status, exams),
        )
        vendor = rule.product.vendor
        by_vendor.setdefault(vendor.pk, GapVendor(vendor=vendor, rows=[])).rows.append(row)
    for group in by_vendor.values():
        group.rows.sort(key=lambda r: (not r.holds, r.status != RightStatus.LAPSED, r.product.name))
    return sorted(by_vendor.values(), key=lambda g: (not any(r.holds for r in g.rows), g.vendor.name))


def _learners(members, certified_ids, certifications, course_status, exams) -> list[Learner]:
    learners = []
    for user_id, user in members.items():
        if user_id in certified_ids:
            continue
        learner = Learner(name=user.full_name)
        for certification in certifications:
            for link in certification.required_courses.all():
                status = course_status.get((user_id, link.course_id))
                if status and (link.course.title, status) not in learner.courses:
                    learner.courses.append((link.course.title, status))
            progress = exams.get((user_id, certification.pk), {})
            learner.exam_in_progress |= progress.get("in_progress", False)
            failed = progress.get("failed_at")
            if failed and (learner.failed_at is None or failed > learner.failed_at):
                learner.failed_at = failed
        if learner.courses or learner.exam_in_progress or learner.failed_at:
            learners.append(learner)
    return sorted(learners, key=lambda learner: learner.name)


def partners_with_delivery_right(*, product_id: int, region: str | None = None) -> QuerySet[PartnerOrganisation]:
    """Partner organisations that may deliver a product now (right active or in grace),
    optionally in one region, by name."""
    holding = OrganisationDeliveryRight.objects.holding().filter(organisation=OuterRef("pk"), product_id=product_id)
    partners = PartnerOrganisation.objects.filter(Exists(holding))
    if region:
        partners = partners.filter(region=region)
    return partners.order_by("name")


# --- Per vendor, for partner tiers ----------------------------------------------------------------


def vendor_rights_held(*, organisation_ids: list[int] | None = None) -> dict[tuple[int, int], int]:
    """`{(organisation_id, vendor_id): products}`: how many of each vendor's products each
    organisation holds a right to (active or grace), for the given organisations or all. One query."""
    rights = OrganisationDeliveryRight.objects.holding()
    if organisation_ids is not None:
        rights = rights.filter(organisation_id__in=organisation_ids)
    rows = rights.order_by().values("organisation_id", "product__vendor_id").annotate(n=Count("pk"))
    return {(row["organisation_id"], row["product__vendor_id"]): row["n"] for row in rows}


def vendor_certified_headcounts(
    *, organisation_ids: list[int] | None = None, now: datetime | None = None
) -> dict[tuple[int, int], int]:
    """`{(organisation_id, vendor_id): engineers}`: each organisation's current members holding a
    certificate that counts towards a rule of one of the vendor's products (valid, of a version
    not superseded: `Certificate.objects.counting_on`), each engineer once per vendor (whatever a
    per-engineer cap lets them count towards). One query."""
    now = now or timezone.now()
    # One filter() for the membership conditions, so they hold for the same membership row; a
    # holder with no membership at all would otherwise match "not left" through the outer join.
    membership = membership_current_q("holder__memberships__") & Q(holder__memberships__organisation__isnull=False)
    if organisation_ids is not None:
        membership &= Q(holder__memberships__organisation_id__in=organisation_ids)
    certificates = Certificate.objects.counting_on(now.date()).filter(
        membership, certification__delivery_rules__isnull=False
    )
    rows = (
        certificates.order_by()
        .values("holder__memberships__organisation_id", "certification__delivery_rules__product__vendor_id")
        .annotate(n=Count("holder_id", distinct=True))
    )
    return {
        (row["holder__memberships__organisation_id"], row["certification__delivery_rules__product__vendor_id"]): row[
            "n"
        ]
        for row in rows
    }
