"""Reads of the partner directory, partner pages and the delivery-rights API: who may deliver
what, where, with which tiers, shaped for those pages. Rights are read through `OrganisationDeliveryRight.objects`
(`holding()`) and `certifications.rights.selectors`; each read runs a fixed number of queries
whatever the number of organisations, members or rights."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from certifications.models import Certificate, DeliveryRightEvent, OrganisationDeliveryRight
from certifications.rights import history
from certifications.verification.right_credentials import right_credential_current_prefetch
from community.models import PartnerOrganisation, Product, User
from community.models.organisations import membership_current_q
from partners.models import OrganisationTier, PartnerTier
from partners.trust import score_ordering


def _held_tiers() -> QuerySet[OrganisationTier]:
    return OrganisationTier.objects.held().select_related("tier", "vendor").order_by("vendor__name", "vendor_id")


def directory_search(
    *,
    text: str = "",
    product: Product | None = None,
    region: str = "",
    tiers: list[int] | None = None,
    sort: str = "",
) -> QuerySet:
    """Organisations that may deliver at least one product now (right active or in grace), or
    `product` when given, holding one of `tiers` (PartnerTier ids) when given, matching `text` in
    name, city or description, by name (or by trust with `sort="trust"`,
    partners.trust.score_ordering); each with `holding_rights` (those rights with their products)
    and `held_tiers` (its tiers, by vendor) prefetched."""
    holding = OrganisationDeliveryRight.objects.holding().filter(organisation=OuterRef("pk"))
    if product is not None:
        holding = holding.filter(product=product)
    partners = PartnerOrganisation.objects.filter(Exists(holding))
    if region:
        partners = partners.filter(region=region)
    if tiers:
        partners = partners.filter(
            Exists(OrganisationTier.objects.filter(organisation=OuterRef("pk"), tier_id__in=tiers))
        )
    if text:
        partners = partners.filter(Q(name__icontains=text) | Q(city__icontains=text) | Q(description__icontains=text))
    rights = (
        OrganisationDeliveryRight.objects.holding()
        .select_related("product__vendor")
        .order_by("product__vendor__name", "product__name")
    )
    partners = partners.prefetch_related(
        Prefetch("delivery_rights", queryset=rights, to_attr="holding_rights"),
        Prefetch("tiers", queryset=_held_tiers(), to_attr="held_tiers"),
    )
    return score_ordering(partners) if sort == "trust" else partners.order_by("name", "pk")


@dataclass
class PartnerProfile:
    organisation: PartnerOrganisation
    rights: list[OrganisationDeliveryRight]
    engineer_names: list[str]
    history: list[history.ProductTimeline]
    tiers: list[OrganisationTier]


def partner_profile(*, slug: str, now: datetime | None = None) -> PartnerProfile | None:
    """A listed partner's public profile: the products it may deliver (since when, how many
    certified engineers, each right's `current_credentials`) and the names, only, of certified
    current members who opted in to be listed, the history of every right it has held
    (`certifications.rights.history`: dates, causes and counts, no people), and its tiers with
    each vendor. None for organisations the directory does not list. Six queries."""
    now = now or timezone.now()
    organisation = PartnerOrganisation.objects.filter(
        slug=slug, pk__in=OrganisationDeliveryRight.objects.holding().values("organisation_id")
    ).first()
    if organisation is None:
        return None
    rights = list(
        OrganisationDeliveryRight.objects.holding()
        .filter(organisation=organisation)
        .select_related("product__vendor")
        .prefetch_related(right_credential_current_prefetch())
        .order_by("product__vendor__name", "product__name")
    )
    counting = Certificate.objects.counting_on(now.date()).filter(
        certification__delivery_rules__product_id__in=[r.product_id for r in rights]
    )
    names = (
        User.objects.filter(
            membership_current_q("memberships__"),
            public_profile=True,
            memberships__organisation=organisation,
            pk__in=counting.values("holder_id"),
        )
        .order_by("full_name")
        .values_list("full_name", flat=True)
    )
    return PartnerProfile(
        organisation=organisation,
        rights=rights,
        engineer_names=list(names),
        history=history.organisation_rights_history(organisation_id=organisation.pk),
        tiers=list(_held_tiers().filter(organisation=organisation)),
    )


def delivery_rights_public(
    *, product: str = "", region: str = "", organisation: str = ""
) -> QuerySet[OrganisationDeliveryRight]:
    """Rights in force (active or grace) for the API, filtered by product slug, region code and
    organisation slug, in a stable order."""
    rights = OrganisationDeliveryRight.objects.holding().select_related("organisation", "product__vendor")
    if product:
        rights = rights.filter(product__slug=product)
    if region:
        rights = rights.filter(organisation__region=region)
    if organisation:
        rights = rights.filter(organisation__slug=organisation)
    return rights.order_by("organisation__name", "product__name", "pk")


def delivery_rights_public_on(
    *, day: date, product: str = "", region: str = "", organisation: str = ""
) -> QuerySet[DeliveryRightEvent]:
    """Rights in force at the end of `day`, as their events recorded them
    (`certifications.rights.history.rights_held_on`), with the filters of
    `delivery_rights_public`, in the same order."""
    rights = OrganisationDeliveryRight.objects.all()
    if product:
        rights = rights.filter(product__slug=product)
    if region:
        rights = rights.filter(organisation__region=region)
    if organisation:
        rights = rights.filter(organisation__slug=organisation)
    return history.rights_held_on(day=day, rights=rights)


def rights_history_starts() -> date | None:
    """The first day delivery rights were recorded (`as_of` cannot go earlier)."""
    return history.rights_history_starts()


def listed_partners() -> QuerySet[PartnerOrganisation]:
    """Organisations the directory lists (holding at least one right), by name."""
    holding = OrganisationDeliveryRight.objects.holding().filter(organisation=OuterRef("pk"))
    return PartnerOrganisation.objects.filter(Exists(holding)).order_by("name", "pk")


def tier_choices() -> QuerySet[PartnerTier]:
    """Every vendor's tiers, by vendor name then rank (the directory's filter)."""
    return PartnerTier.objects.select_related("vendor").order_by("vendor__name", "vendor_id", "rank")


def tiers_by_pair(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], OrganisationTier]:
    """The tier each (organisation id, vendor id) pair holds, for a page of rights. One query."""
    organisation_ids = {organisation_id for organisation_id, _vendor in pairs}
    rows = _held_tiers().filter(organisation_id__in=organisation_ids)
    return {(row.organisation_id, row.vendor_id): row for row in rows if (row.organisation_id, row.vendor_id) in pairs}
