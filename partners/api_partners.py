"""`GET /api/v1/partners/<slug>`: a listed partner's public trust profile, the facts its page
shows, each computed as partners.trust says, and its tiers (partners.tiers)."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from community.api_errors import InvalidRequestOut, PageNotFound
from partners import directory_cache, selectors
from partners.api_rights import SLUG_PATTERN, OrganisationOut, ProductOut, TierOut, tier_out
from partners.trust_rules import SCORE_MIN_RESPONSES, SCORE_WINDOW_DAYS

router = Router(tags=["partners"])


class RightOut(Schema):
    status: Literal["active", "grace"]
    since: datetime | None
    certified_engineers: int
    product: ProductOut


class TrustOut(Schema):
    satisfaction: float | None = Field(
        description=(
            f"Average satisfaction (1-5) over the last {SCORE_WINDOW_DAYS} days; "
            f"null below {SCORE_MIN_RESPONSES} answers."
        )
    )
    would_recommend: float | None = Field(
        description="Average of the same answers' 0-10 'would recommend'; null with it."
    )
    responses: int = Field(description=f"Survey answers in the last {SCORE_WINDOW_DAYS} days.")
    engagements_delivered: int
    median_hours_to_accept: float | None = Field(description="Median over leads accepted in the last year.")
    accepted_forum_answers: int | None
    years_in_programme: int


class PartnerOut(Schema):
    organisation: OrganisationOut
    rights: list[RightOut]
    trust: TrustOut
    tiers: list[TierOut] = Field(description="The partner's tier with each vendor that has tiers, by vendor name.")


@router.get(
    "/partners/{slug}",
    response={200: PartnerOut, 404: PageNotFound, 422: InvalidRequestOut},
    url_name="partner",
    operation_id="partners_api_partner",
    summary="A partner's delivery rights and trust profile",
)
def partner(request: HttpRequest, slug: str = Path(..., max_length=160, pattern=SLUG_PATTERN)):
    """The partner's rights in force, its trust profile and its tiers. Partners the directory does not list
    (no right in force) are a 404."""
    profile = selectors.partner_profile(slug=slug)
    if profile is None:
        return Status(404, {"error": "not_found", "message": _("No listed partner has this slug.")})
    organisation = profile.organisation
    trust = directory_cache.trust_profile(organisation)
    return {
        "organisation": {
            "name": organisation.name,
            "slug": organisation.slug,
            "region": organisation.region,
            "region_name": str(organisation.get_region_display()),
            "country": organisation.country.code,
            "city": organisation.city,
            "website": organisation.website,
            "profile_url": request.build_absolute_uri(reverse("partners:partner", kwargs={"slug": organisation.slug})),
        },
        "rights": [
            {
                "status": right.status,
                "since": right.active_since,
                "certified_engineers": right.certified_engineers,
                "product": {
                    "slug": right.product.slug,
                    "name": right.product.name,
                    "vendor": right.product.vendor.name,
                },
            }
            for right in profile.rights
        ],
        "trust": {
            "satisfaction": trust.score,
            "would_recommend": trust.recommend,
            "responses": trust.responses,
            "engagements_delivered": trust.delivered,
            "median_hours_to_accept": trust.median_accept_hours,
            "accepted_forum_answers": trust.accepted_answers,
            "years_in_programme": trust.years,
        },
        "tiers": [tier_out(held) for held in profile.tiers],
    }
