"""What each CSV export holds: for a vendor's programme managers, the vendor's certificates, exam
attempts, delivery rights and partners; for a partner admin, the team's members, certificates and
rights. Each dataset is a queryset read in batches (`community.csv_export.csv_response`) and a
row function that needs nothing more than the row itself: every figure is an annotation or a
join, so an export of 60,000 rows runs the same few queries as one of ten."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from certifications.certificates.selectors import team_certificates
from certifications.certificates.status import certificate_status
from certifications.models import Certificate, ExamAttempt, OrganisationDeliveryRight
from certifications.models.rights import RightStatus
from community.csv_export import iso
from community.models import Membership, PartnerOrganisation, Vendor
from community.selectors import organisation_members


@dataclass(frozen=True)
class Dataset:
    columns: tuple[str, ...]
    rows: QuerySet
    row: Callable


def _count(queryset: QuerySet) -> Coalesce:
    """The number of rows of `queryset` (filtered on an `OuterRef`) as an annotation."""
    counted = queryset.order_by().values(group=Value(1)).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _current_organisation_name() -> Subquery:
    return Subquery(Membership.objects.current().filter(user=OuterRef("holder")).values("organisation__name")[:1])


CERTIFICATE_COLUMNS = (
    "serial",
    "holder_name",
    "holder_email",
    "organisation",
    "certification",
    "products",
    "status",
    "issued_on",
    "expires_on",
    "revoked_at",
    "revocation_reason",
)


# What the rows read, and no more: narrow rows sort in memory where whole ones spill to disk.
CERTIFICATE_FIELDS = (
    "serial",
    "holder_name",
    "holder__email",
    "certification_title",
    "product_names",
    "status",
    "issued_on",
    "expires_on",
    "revoked_at",
    "revocation_reason",
    "vendor_name",
)


def _certificate_row(today: date) -> Callable:
    def row(c: Certificate) -> list:
        return [
            c.serial,
            c.holder_name,
            c.holder.email,
            c.organisation_name,
            c.certification_title,
            "; ".join(c.product_names),
            certificate_status(c, day=today).value,
            c.issued_on.isoformat(),
            c.expires_on.isoformat(),
            iso(c.revoked_at),
            c.revocation_reason,
        ]

    return row


def vendor_certificates(*, vendor: Vendor, today: date) -> Dataset:
    rows = (
        Certificate.objects.filter(vendor=vendor)
        .select_related("holder")
        .only(*CERTIFICATE_FIELDS)
        .annotate(organisation_name=_current_organisation_name())
        .order_by("-issued_at", "-pk")
    )
    return Dataset(CERTIFICATE_COLUMNS, rows, _certificate_row(today))


ATTEMPT_COLUMNS = (
    "attempt",
    "candidate_name",
    "candidate_email",
    "certification",
    "status",
    "started_at",
    "submitted_at",
    "auto_submitted",
    "score_percent",
    "pass_mark_percent",
    "passed",
)


ATTEMPT_FIELDS = (
    "public_id",
    "user__full_name",
    "user__email",
    "status",
    "started_at",
    "submitted_at",
    "auto_submitted",
    "score_percent",
    "pass_mark_percent",
    "passed",
)


def _attempt_row(a: ExamAttempt) -> list:
    return [
        a.public_id,
        a.user.full_name,
        a.user.email,
        a.certification_title,
        a.status,
        iso(a.started_at),
        iso(a.submitted_at),
        "yes" if a.auto_submitted else "no",
        "" if a.score_percent is None else a.score_percent,
        a.pass_mark_percent,
        "" if a.passed is None else ("yes" if a.passed else "no"),
    ]


def vendor_attempts(*, vendor: Vendor) -> Dataset:
    rows = (
        ExamAttempt.objects.filter(exam__certification__vendor=vendor)
        .select_related("user")
        .only(*ATTEMPT_FIELDS)
        .annotate(certification_title=F("exam__certification__title"))
        .order_by("-started_at", "-pk")
    )
    return Dataset(ATTEMPT_COLUMNS, rows, _attempt_row)


RIGHT_COLUMNS = (
    "organisation",
    "organisation_slug",
    "region",
    "country",
    "vendor",
    "product",
    "status",
    "certified_engineers",
    "active_since",
    "grace_ends_at",
    "lapsed_at",
    "updated_at",
)


def _right_row(r: OrganisationDeliveryRight) -> list:
    return [
        r.organisation.name,
        r.organisation.slug,
        r.organisation.region,
        r.organisation.country.code,
        r.product.vendor.name,
        r.product.name,
        r.status,
        r.certified_engineers,
        iso(r.active_since),
        iso(r.grace_ends_at),
        iso(r.lapsed_at),
        iso(r.updated_at),
    ]


def vendor_rights(*, vendor: Vendor) -> Dataset:
    rows = (
        OrganisationDeliveryRight.objects.filter(product__vendor=vendor)
        .select_related("organisation", "product__vendor")
        .order_by("organisation__name", "product__name", "pk")
    )
    return Dataset(RIGHT_COLUMNS, rows, _right_row)


PARTNER_COLUMNS = (
    "organisation",
    "organisation_slug",
    "kind",
    "region",
    "country",
    "city",
    "website",
    "members",
    "certified_engineers",
    "rights_active",
    "rights_in_grace",
    "rights_lapsed",
)


def _partner_row(o: PartnerOrganisation) -> list:
    return [
        o.name,
        o.slug,
        o.kind,
        o.region,
        o.country.code,
        o.city,
        o.website,
        o.member_count,
        o.certified_count,
        o.active_count,
        o.grace_count,
        o.lapsed_count,
    ]


def vendor_partners(*, vendor: Vendor, today: date) -> Dataset:
    """Partners with a delivery right (in any state) to one of the vendor's products, with their
    current members and how many of those hold a valid certificate of the vendor."""
    rights = OrganisationDeliveryRight.objects.filter(organisation=OuterRef("pk"), product__vendor=vendor)
    members = Membership.objects.current().filter(organisation=OuterRef("pk"))
    certified = Certificate.objects.valid_on(today).filter(vendor=vendor, holder=OuterRef("user"))
    rows = (
        PartnerOrganisation.objects.filter(Exists(rights))
        .annotate(
            member_count=_count(members),
            certified_count=_count(members.filter(Exists(certified))),
            active_count=_count(rights.filter(status=RightStatus.ACTIVE)),
            grace_count=_count(rights.filter(status=RightStatus.GRACE)),
            lapsed_count=_count(rights.filter(status=RightStatus.LAPSED)),
        )
        .order_by("name", "pk")
    )
    return Dataset(PARTNER_COLUMNS, rows, _partner_row)


VENDOR_DATASETS = {
    "certificates": lambda vendor, today: vendor_certificates(vendor=vendor, today=today),
    "attempts": lambda vendor, today: vendor_attempts(vendor=vendor),
    "rights": lambda vendor, today: vendor_rights(vendor=vendor),
    "partners": lambda vendor, today: vendor_partners(vendor=vendor, today=today),
}


# --- A partner admin's team -----------------------------------------------------------------

MEMBER_COLUMNS = ("name", "email", "role", "joined_at", "valid_certificates")


def _member_row(m: Membership) -> list:
    return [m.user.full_name, m.user.email, m.role, iso(m.joined_at), m.valid_certificates]


def team_members(*, organisation: PartnerOrganisation, today: date) -> Dataset:
    valid = Certificate.objects.valid_on(today).filter(holder=OuterRef("user"))
    rows = organisation_members(organisation=organisation).annotate(valid_certificates=_count(valid))
    return Dataset(MEMBER_COLUMNS, rows, _member_row)


TEAM_CERTIFICATE_COLUMNS = tuple(c for c in CERTIFICATE_COLUMNS if c != "organisation") + ("vendor",)


def team_certificates_dataset(*, organisation: PartnerOrganisation, today: date) -> Dataset:
    base = _certificate_row(today)

    def row(c: Certificate) -> list:
        cells = base(c)
        del cells[CERTIFICATE_COLUMNS.index("organisation")]
        return [*cells, c.vendor_name]

    rows = team_certificates(organisation=organisation, today=today).annotate(organisation_name=Value(""))
    return Dataset(TEAM_CERTIFICATE_COLUMNS, rows, row)


def team_rights(*, organisation: PartnerOrganisation) -> Dataset:
    rows = (
        OrganisationDeliveryRight.objects.filter(organisation=organisation)
        .select_related("organisation", "product__vendor")
        .order_by("product__vendor__name", "product__name", "pk")
    )
    return Dataset(RIGHT_COLUMNS, rows, _right_row)


TEAM_DATASETS = {
    "members": lambda organisation, today: team_members(organisation=organisation, today=today),
    "certificates": lambda organisation, today: team_certificates_dataset(organisation=organisation, today=today),
    "rights": lambda organisation, today: team_rights(organisation=organisation),
}
