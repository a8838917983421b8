"""Reads for users, organisations and vendors, shaped for the pages that show them."""

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.query import PageQuerySet

from community.models import Invitation, Membership, PartnerOrganisation, Product, User, Vendor
from community.models.organisations import membership_current_q


def membership_current(*, user: User) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.current().select_related("organisation").filter(user=user).first()


def current_organisation_ids(*, user_ids) -> set[int]:
    """The organisations any of these people currently belong to, in one query."""
    return set(Membership.objects.current().filter(user_id__in=user_ids).values_list("organisation_id", flat=True))


def organisation_managed_by(*, user: User, slug: str) -> PartnerOrganisation | None:
    """The organisation with `slug` if `user` is one of its current partner admins, else None
    (views turn None into a 404, so other organisations' pages do not even admit they exist)."""
    if not user.is_authenticated:
        return None
    return PartnerOrganisation.objects.filter(
        membership_current_q("memberships__"),
        slug=slug,
        memberships__user=user,
        memberships__role=Membership.Role.ADMIN,
    ).first()


def organisation_members(*, organisation: PartnerOrganisation, search: str = "") -> QuerySet[Membership]:
    """Current members, admins first, each annotated with `invited_by_name` (the partner admin
    whose invitation they accepted, if any) in the same query; `search` narrows them to names or
    e-mail addresses containing it."""
    inviter = (
        Invitation.objects.filter(organisation=organisation, accepted_by=OuterRef("user"))
        .order_by("-accepted_at")
        .values("invited_by__full_name")[:1]
    )
    members = Membership.objects.current().filter(organisation=organisation)
    if search:
        members = members.filter(Q(user__full_name__icontains=search) | Q(user__email__icontains=search))
    return (
        members.select_related("user").annotate(invited_by_name=Subquery(inviter)).order_by("role", "user__full_name")
    )


def organisation_admins(*, organisation: PartnerOrganisation) -> QuerySet[User]:
    """The organisation's current partner admins: the people members ask for invitations and changes."""
    return User.objects.filter(
        membership_current_q("memberships__"),
        memberships__organisation=organisation,
        memberships__role=Membership.Role.ADMIN,
    ).order_by("full_name")


def organisation_former_members(*, organisation: PartnerOrganisation, limit: int = 20) -> QuerySet[Membership]:
    """The most recent memberships that ended: the team's history, newest departure first."""
    return (
        Membership.objects.former()
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("-left_at")[:limit]
    )


def organisation_member(*, organisation: PartnerOrganisation, membership_id: int) -> Membership | None:
    return organisation_members(organisation=organisation).filter(pk=membership_id).first()


def organisation_pending_invitations(*, organisation: PartnerOrganisation) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            organisation=organisation,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def organisation_invitation(*, organisation: PartnerOrganisation, invitation_id: int) -> Invitation | None:
    """One of the organisation's invitations (any state), or None when it belongs elsewhere."""
    return Invitation.objects.filter(organisation=organisation, pk=invitation_id).first()


def invitations_pending_for(*, user: User) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        email__iexact=user.email, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("organisation")


def user_exists(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


SITE_STATS_SECONDS = 5 * 60


def site_stats() -> dict[str, int]:
    """The home page's figures. Counting 50,000 current memberships takes several milliseconds on
    every home page view, for figures nobody needs to the second: they are kept for a few minutes."""
    return cache.get_or_set("community:site-stats", _count_site, SITE_STATS_SECONDS)


def _count_site() -> dict[str, int]:
    return {
        **Vendor.objects.aggregate(vendors=Count("pk", distinct=True), products=Count("products")),
        "partners": PartnerOrganisation.objects.count(),
        "engineers": Membership.objects.current().count(),
    }


def vendor_showcase() -> QuerySet[Vendor]:
    return (
        Vendor.objects.select_related("logo")
        .annotate(product_count=Count("products"))
        .prefetch_related(Prefetch("products", queryset=Product.objects.order_by("name")))
    )


def vendors_for_staff(*, user: User) -> QuerySet[Vendor]:
    """Vendors whose staff `user` is (all vendors for superusers)."""
    if user.is_superuser:
        return Vendor.objects.all()
    return Vendor.objects.filter(Q(staff_group__user=user) | Q(manager_group__user=user)).distinct()


def vendors_for_managers(*, user: User) -> QuerySet[Vendor]:
    """Vendors whose programme managers `user` is among (all vendors for superusers): whose
    programme they run (results, rules, certificates, templates, the dashboard). Authors, who are
    staff only, write content and are not among them."""
    if user.is_superuser:
        return Vendor.objects.all()
    return Vendor.objects.filter(manager_group__user=user)


def user_is_vendor_manager(*, user: User, vendor: Vendor) -> bool:
    return user.is_superuser or user.groups.filter(pk=vendor.manager_group_id).exists()


def products_all() -> QuerySet[Product]:
    return Product.objects.select_related("vendor").order_by("vendor__name", "name")


def pages_public(*, pages: PageQuerySet) -> PageQuerySet:
    """`pages` less those in a private section (a view restriction on the page or an ancestor),
    as Wagtail's `.public()`, but tested inside the same SQL: Wagtail reads every restriction
    first, one more query each time it is called."""
    restricted = PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    return pages.filter(~Exists(restricted))
