"""Reads of certificates for the pages of people and vendor staff: one's own certificates, a
partner admin's team certificates, the vendor staff's certificate admin, and who may download a
PDF. Each returns rows already shaped for its page, in a fixed number of queries."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from certifications.certificates.pdf import certificate_verification_url
from certifications.certificates.renewal import Renewal, certificate_renewal
from certifications.certificates.status import CertificateStatus, certificate_status
from certifications.models import Certificate, CertificateEvent, CertificateImport
from certifications.models.certificates import certificate_valid_q
from community.models import Membership, PartnerOrganisation, User
from community.selectors import vendors_for_managers

# A valid certificate this close to its expiry is "expiring soon" on the team page.
EXPIRING_SOON_DAYS = 60
LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add"


def shown_status(certificate: Certificate, *, today: date) -> CertificateStatus:
    """What the people's pages show, expiring soon apart."""
    return certificate_status(certificate, day=today, expiring_within_days=EXPIRING_SOON_DAYS)


def status_filter(status: str, *, today: date) -> Q:
    """The rows a status filter keeps; "valid" includes those expiring soon."""
    current = certificate_valid_q(today)
    return {
        CertificateStatus.VALID: current,
        CertificateStatus.EXPIRING: current & Q(expires_on__lte=today + timedelta(days=EXPIRING_SOON_DAYS)),
        CertificateStatus.EXPIRED: Q(status=Certificate.Status.EXPIRED)
        | Q(status=Certificate.Status.VALID, expires_on__lte=today),
        CertificateStatus.REVOKED: Q(status=Certificate.Status.REVOKED),
    }.get(status, Q())


def linkedin_add_url(certificate: Certificate) -> str:
    """LinkedIn's "Add licence or certification" form, filled in with the certificate."""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.certification_title,
        "organizationName": certificate.vendor_name,
        "issueYear": certificate.issued_on.year,
        "issueMonth": certificate.issued_on.month,
        "expirationYear": certificate.expires_on.year,
        "expirationMonth": certificate.expires_on.month,
        "certUrl": certificate_verification_url(serial=certificate.serial),
        "certId": certificate.serial,
    }
    return f"{LINKEDIN_ADD_URL}?{urlencode(params)}"


@dataclass
class MyCertificate:
    certificate: Certificate
    status: CertificateStatus
    renewal: Renewal
    verification_url: str
    linkedin_url: str

    @property
    def pdf_ready(self) -> bool:
        return bool(self.certificate.pdf)

    @property
    def renewal_hint(self) -> bool:
        """Renewal is open and not yet done: the certificate is still valid and nothing renews it."""
        renewed = getattr(self.certificate, "renewed_by_serial", None)
        return (
            self.status in (CertificateStatus.VALID, CertificateStatus.EXPIRING)
            and self.renewal.is_open
            and not renewed
        )


def certificates_of_holder(*, user: User, today: date | None = None) -> list[MyCertificate]:
    """The person's certificates with what their page shows of each, in one query: current ones
    first (soonest expiry first), then expired and revoked ones."""
    today = today or timezone.localdate()
    renewed_by = Certificate.objects.filter(renews=OuterRef("pk")).values("serial")[:1]
    rows = (
        Certificate.objects.filter(holder=user)
        .select_related("certification")
        .annotate(renewed_by_serial=renewed_by, status_rank=_status_rank(today=today, soon_apart=False))
        .order_by("status_rank", "expires_on", "pk")
    )
    return [
        MyCertificate(
            certificate=certificate,
            status=shown_status(certificate, today=today),
            renewal=certificate_renewal(certificate, today=today),
            verification_url=certificate_verification_url(serial=certificate.serial),
            linkedin_url=linkedin_add_url(certificate),
        )
        for certificate in rows
    ]


def team_certificates(
    *, organisation: PartnerOrganisation, status: str = "", today: date | None = None
) -> QuerySet[Certificate]:
    """The certificates of the organisation's current members (a certificate belongs to the
    person: those of people who left are not the team's any more), valid ones expiring soon first
    (soonest first), then the rest by holder. `status` is one of `CertificateStatus.values` or empty."""
    today = today or timezone.localdate()
    member = Membership.objects.current().filter(organisation=organisation, user=OuterRef("holder"))
    return (
        Certificate.objects.filter(Exists(member))
        .filter(status_filter(status, today=today))
        .select_related("holder")
        .annotate(status_rank=_status_rank(today=today))
        .order_by("status_rank", "expires_on", "holder__full_name", "pk")
    )


def _status_rank(*, today: date, soon_apart: bool = True) -> Case:
    """Expiring soon first (unless not `soon_apart`), then valid, expired and revoked."""
    return Case(
        When(
            status_filter(CertificateStatus.EXPIRING if soon_apart else CertificateStatus.VALID, today=today),
            then=Value(0),
        ),
        When(status_filter(CertificateStatus.VALID, today=today), then=Value(1)),
        When(status_filter(CertificateStatus.EXPIRED, today=today), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def team_certificate_counts(*, organisation: PartnerOrganisation, today: date | None = None) -> dict[str, int]:
    """How many of the team's certificates each status filter keeps ("" for all), in one query."""
    today = today or timezone.localdate()
    certificates = team_certificates(organisation=organisation, today=today).order_by()
    totals = certificates.aggregate(
        all=Count("pk"),
        **{key: Count("pk", filter=status_filter(key, today=today)) for key in CertificateStatus.values},
    )
    return {"": totals.pop("all"), **totals}


def certificate_for_download(*, serial: str, user: User) -> Certificate | None:
    """The certificate with `serial` if `user` may download its PDF: the holder and a current
    partner admin of the holder's current organisation (not once revoked), or the programme
    managers of its vendor (always). None otherwise, which the view turns into a 404."""
    if not user.is_authenticated:
        return None
    certificate = Certificate.objects.filter(serial=serial).first()
    if certificate is None:
        return None
    if vendors_for_managers(user=user).filter(pk=certificate.vendor_id).exists():
        return certificate
    if certificate.status == Certificate.Status.REVOKED:
        return None
    if certificate.holder_id == user.pk:
        return certificate
    holder_organisations = Membership.objects.current().filter(user_id=certificate.holder_id).values("organisation_id")
    admin_of_holder = (
        Membership.objects.current()
        .filter(user=user, role=Membership.Role.ADMIN, organisation_id__in=holder_organisations)
        .exists()
    )
    return certificate if admin_of_holder else None


# --- Programme managers (Wagtail admin) -----------------------------------------------------


def certificates_for_managers(
    *, user: User, status: str = "", certification_id: int | None = None, query: str = "", today: date | None = None
) -> QuerySet[Certificate]:
    """Certificates of the vendors `user` manages, filtered by status, certification and a
    search on serial or name (as printed, or the holder's current name), newest first."""
    today = today or timezone.localdate()
    certificates = Certificate.objects.filter(vendor__in=vendors_for_managers(user=user)).filter(
        status_filter(status, today=today)
    )
    if certification_id:
        certificates = certificates.filter(certification_id=certification_id)
    query = query.strip()
    if query:
        certificates = certificates.filter(
            Q(serial__icontains=query.upper().replace(" ", ""))
            | Q(holder_name__icontains=query)
            | Q(holder__full_name__icontains=query)
        )
    return certificates.select_related("holder", "vendor").order_by("-issued_at", "-pk")


def certificate_for_manager(*, user: User, certificate_id: int) -> Certificate | None:
    """One certificate of the vendors the user manages, or None (anyone else's is a 404)."""
    return (
        Certificate.objects.filter(vendor__in=vendors_for_managers(user=user), pk=certificate_id)
        .select_related("holder", "vendor", "certification", "renews", "revoked_by")
        .first()
    )


def certificate_events(*, certificate: Certificate) -> QuerySet[CertificateEvent]:
    return CertificateEvent.objects.filter(certificate=certificate).select_related("actor").order_by("at", "pk")


def certification_badges_for_users(*, user_ids: Iterable[int]) -> dict[int, list[dict]]:
    """Badges of each person's valid certifications, in one query for all of `user_ids`:
    `{user_id: [{"name": ..., "vendor": ..., "url": ...}, ...]}`, the name and vendor as printed
    on the certificate and the url its public verification page; one badge per certification
    (a renewal briefly leaves two valid), by name."""
    ids = list(user_ids)
    if not ids:
        return {}
    today = timezone.now().date()
    rows = (
        Certificate.objects.valid_on(today)
        .filter(holder_id__in=ids)
        .order_by("holder_id", "certification_title", "-expires_on")
        .values_list("holder_id", "certification_id", "certification_title", "vendor_name", "serial")
    )
    badges: dict[int, list[dict]] = {}
    seen: set[tuple[int, int]] = set()
    for holder_id, certification_id, title, vendor, serial in rows:
        if (holder_id, certification_id) in seen:
            continue
        seen.add((holder_id, certification_id))
        url = reverse("certifications:verify_serial", kwargs={"serial": serial})
        badges.setdefault(holder_id, []).append({"name": title, "vendor": vendor, "url": url})
    return badges


def certificate_imports_for_managers(*, user: User) -> QuerySet[CertificateImport]:
    """The certificate imports of the vendors whose programme `user` manages, newest first."""
    return CertificateImport.objects.filter(vendor__in=vendors_for_managers(user=user)).select_related(
        "vendor", "uploaded_by"
    )


def certificate_import_for_manager(*, user: User, import_id: int) -> CertificateImport | None:
    return certificate_imports_for_managers(user=user).filter(pk=import_id).first()
