"""Partners teaming up on an engagement: when the work needs a product the partner may not
deliver, the platform suggests partners in the same region that hold that right and none of the
partner's own rights among the engagement's products (complementary, not competing). The
partner invites one as a sub-contractor for its part; the invited partner accepts or declines;
both see the team, and so does the customer."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.models import OrganisationDeliveryRight
from community.models import PartnerOrganisation, Product, User
from partners.events import Kind, event_record, lead_answerers
from partners.models import Engagement, EngagementPartner
from partners.offers import may_answer


def _held_product_ids(organisation_id: int) -> set[int]:
    return set(
        OrganisationDeliveryRight.objects.holding()
        .filter(organisation_id=organisation_id)
        .values_list("product_id", flat=True)
    )


def products_to_team_for(*, engagement: Engagement) -> QuerySet[Product]:
    """Products (of any vendor: customers' projects cross vendors) that the partner may not deliver
    and another partner could hold a right to."""
    held = OrganisationDeliveryRight.objects.holding().filter(organisation_id=engagement.organisation_id)
    return (
        Product.objects.filter(delivery_rule__isnull=False)
        .exclude(pk__in=held.values("product_id"))
        .select_related("vendor")
        .order_by("vendor__name", "name")
    )


def teaming_suggestions(*, engagement: Engagement, product: Product) -> QuerySet[PartnerOrganisation]:
    """Partners in the engagement's region holding `product` and none of the lead partner's own
    rights among the engagement's products, most certified engineers on it first, then by name."""
    own = _held_product_ids(engagement.organisation_id) & set(engagement.products.values_list("pk", flat=True))
    holding = OrganisationDeliveryRight.objects.holding()
    competing = holding.filter(organisation=OuterRef("pk"), product_id__in=own)
    return (
        PartnerOrganisation.objects.filter(region=engagement.organisation.region)
        .exclude(pk=engagement.organisation_id)
        .filter(Exists(holding.filter(organisation=OuterRef("pk"), product=product)))
        .exclude(Exists(competing))
        .annotate(
            engineers=Subquery(
                holding.filter(organisation=OuterRef("pk"), product=product).values("certified_engineers")[:1]
            )
        )
        .order_by("-engineers", "name", "pk")
    )


def team_invite(
    *,
    engagement: Engagement,
    organisation: PartnerOrganisation,
    product: Product,
    part: str,
    user: User,
    now: datetime | None = None,
) -> EngagementPartner:
    """Invite a suggested partner for `product`; only the lead partner's answerers may, on work
    not yet delivered, and only a partner the suggestions offer."""
    now = now or timezone.now()
    if not may_answer(user=user, organisation_id=engagement.organisation_id):
        raise PermissionDenied
    if engagement.delivered_at:
        raise ValidationError(_("The work is delivered; the team can no longer change."))
    if not teaming_suggestions(engagement=engagement, product=product).filter(pk=organisation.pk).exists():
        raise ValidationError(
            _("%(partner)s may not deliver %(product)s here, or competes with you on this work.")
            % {
                "partner": organisation.name,
                "product": product.name,
            }
        )
    part = part.strip()
    if not part:
        raise ValidationError(_("Say what their part of the work is."))
    with transaction.atomic():
        member, created = EngagementPartner.objects.get_or_create(
            engagement=engagement,
            organisation=organisation,
            defaults={"part": part, "invited_at": now, "invited_by": user},
        )
        if not created:
            raise ValidationError(_("%(partner)s is already on this team.") % {"partner": organisation.name})
        member.products.set([product])
        event_record(
            Kind.TEAM_INVITED,
            engagement=engagement,
            request_id=engagement.request_id,
            organisation=organisation,
            actor=user,
            at=now,
            notify=lead_answerers(organisation.pk),
            url=reverse("partners:team_invitation", kwargs={"pk": member.pk}),
            detail={"product": product.name, "part": part},
        )
    return member


def team_answer(*, member_id: int, user: User, accept: bool, now: datetime | None = None) -> EngagementPartner:
    """The invited partner joins or declines, once."""
    now = now or timezone.now()
    with transaction.atomic():
        member = EngagementPartner.objects.select_for_update().select_related("engagement").get(pk=member_id)
        if not may_answer(user=user, organisation_id=member.organisation_id):
            raise PermissionDenied
        if member.state != EngagementPartner.State.INVITED:
            raise ValidationError(_("This invitation was already answered."))
        member.state = EngagementPartner.State.ACCEPTED if accept else EngagementPartner.State.DECLINED
        member.answered_at = now
        member.save(update_fields=["state", "answered_at"])
        engagement = member.engagement
        event_record(
            Kind.TEAM_JOINED if accept else Kind.TEAM_DECLINED,
            engagement=engagement,
            request_id=engagement.request_id,
            organisation_id=member.organisation_id,
            actor=user,
            at=now,
            notify=lead_answerers(engagement.organisation_id),
            url=reverse("partners:engagement_team", kwargs={"pk": engagement.pk}),
            customer=accept and engagement.request_id is not None,
        )
    return member
