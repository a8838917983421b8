"""`GET /api/v1/delivery-rights`: which partners may deliver which products, today or on a past
day (`as_of`, answered from the rights' audit events), for anyone. The facts the public
directory shows, nothing private (no people, no e-mail, no internal ids).
A django-ninja router that `partners.api` mounts."""

import math
import re
from datetime import date, datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema, field_validator

from community.api_errors import FilterError, InvalidRequestOut, PageNotFound
from community.models import Region
from partners import selectors

router = Router(tags=["delivery rights"])

PAGE_SIZE = 50


# What a SlugField holds; the database never sees anything else (PostgreSQL refuses a NUL).
SLUG_PATTERN = "^[-a-zA-Z0-9_]*$"
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class RightsFilters(Schema):
    product: str = Field("", max_length=120, pattern=SLUG_PATTERN, description="A product's slug; empty: any.")
    # Documented as the list of codes; an unknown one is still answered by the view, with a 400
    # that lists them, rather than by the schema.
    region: Annotated[str, WithJsonSchema({"type": "string", "enum": ["", *Region.values]})] = Field(
        "", description="A region code; empty: any."
    )
    organisation: str = Field(
        "", max_length=160, pattern=SLUG_PATTERN, description="An organisation's slug; empty: any."
    )
    # Documented as a date, or empty for today (as the other filters' empty means "any").
    as_of: Annotated[
        date | None,
        WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]}),
    ] = Field(
        None,
        description=(
            "A day (YYYY-MM-DD, in the site's time zone): the rights held at the end of it, from "
            "the rights' audit events. Empty: today's rights. A day before the first record or "
            "after today is a 400."
        ),
    )
    page: int = Field(1, ge=1, description="The page, from 1; past the last page is a 404.")

    @field_validator("as_of", mode="before")
    @classmethod
    def _iso_day(cls, value):
        """Only YYYY-MM-DD: pydantic would also read a number as a Unix time."""
        if value in ("", None):
            return None
        if isinstance(value, str) and not ISO_DAY.fullmatch(value):
            raise ValueError("a day is written YYYY-MM-DD")
        return value


class OrganisationOut(Schema):
    name: str
    slug: str
    region: str
    region_name: str
    country: str
    city: str
    website: str
    profile_url: str


class ProductOut(Schema):
    slug: str
    name: str
    vendor: str


class TierOut(Schema):
    vendor: str
    name: str
    slug: str
    rank: int = Field(description="1 is the vendor's entry tier; higher is better.")
    since: datetime | None
    grace_ends_at: datetime | None = Field(
        description="Set while the partner no longer meets the tier: it keeps it until then, then moves down."
    )


def tier_out(held) -> dict:
    """An `OrganisationTier` (with its tier and vendor) as `TierOut`."""
    return {
        "vendor": held.vendor.name,
        "name": held.tier.name,
        "slug": held.tier.slug,
        "rank": held.tier.rank,
        "since": held.since,
        "grace_ends_at": held.grace_ends_at,
    }


class DeliveryRightOut(Schema):
    status: Literal["active", "grace"]
    since: datetime | None
    grace_ends_at: datetime | None
    certified_engineers: int
    organisation: OrganisationOut
    product: ProductOut
    tier: TierOut | None = Field(
        description="The organisation's tier today with the product's vendor, if it holds one; null with `as_of`."
    )


class DeliveryRightsPage(Schema):
    as_of: date | None = Field(description="The day answered for; null for today's rights.")
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[DeliveryRightOut]


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.get(
    "/delivery-rights",
    response={200: DeliveryRightsPage, 400: FilterError, 404: PageNotFound, 422: InvalidRequestOut},
    url_name="delivery_rights",
    operation_id="certifications_api_rights_delivery_rights",
    summary="Partners' delivery rights in force, today or on a past day",
)
def delivery_rights(request: HttpRequest, filters: Query[RightsFilters]):
    """Rights in force (status `active`, or `grace` while a partner certifies more engineers
    before `grace_ends_at`), filtered by product slug, region code and organisation slug, by
    organisation then product name, 50 a page. With `as_of`, the rights in force at the end of
    that day, as their audit events recorded them (not as they stand today): `since` is when
    that stretch of holding began, `certified_engineers` the count at the right's last change
    before then. Today's rights carry the organisation's tier with the product's vendor. An
    unknown region code, or an `as_of` before the first record or after today,
    is a 400 and a page past the last a 404; a page that is not a whole number from 1, a slug
    with characters no slug has, or an `as_of` that is not a YYYY-MM-DD date is a 422."""
    if filters.region and filters.region not in Region.values:
        message = _("Unknown region “%(region)s”; use one of: %(codes)s.") % {
            "region": filters.region,
            "codes": ", ".join(Region.values),
        }
        return Status(400, {"error": "invalid_filter", "message": message})
    if filters.as_of is not None:
        # Days are the site's, whoever asks (a signed-in caller's own zone would move them).
        with timezone.override(timezone.get_default_timezone()):
            refusal = _day_refusal(filters.as_of)
            if refusal:
                return Status(400, {"error": "invalid_filter", "message": refusal})
            rights = selectors.delivery_rights_public_on(
                day=filters.as_of, product=filters.product, region=filters.region, organisation=filters.organisation
            )
    else:
        rights = selectors.delivery_rights_public(
            product=filters.product, region=filters.region, organisation=filters.organisation
        )
    count = rights.count()
    pages = max(1, math.ceil(count / PAGE_SIZE))
    if filters.page > pages:
        message = _("There is no page %(page)d; pages run from 1 to %(pages)d.") % {
            "page": filters.page,
            "pages": pages,
        }
        return Status(404, {"error": "not_found", "message": message})
    start = (filters.page - 1) * PAGE_SIZE
    shown = rights[start : start + PAGE_SIZE]
    if filters.as_of is None:
        shown = list(shown)
        tiers = selectors.tiers_by_pair({(right.organisation_id, right.product.vendor_id) for right in shown})
        results = [
            _right_out(
                request,
                right,
                status=right.status,
                since=right.active_since,
                facts=right,
                tier=tiers.get((right.organisation_id, right.product.vendor_id)),
            )
            for right in shown
        ]
    else:
        results = [
            _right_out(request, event.right, status=event.to_status, since=event.since, facts=event) for event in shown
        ]
    return {
        "as_of": filters.as_of,
        "count": count,
        "page": filters.page,
        "pages": pages,
        "next": _page_url(request, filters.page + 1) if filters.page < pages else None,
        "previous": _page_url(request, filters.page - 1) if filters.page > 1 else None,
        "results": results,
    }


def _day_refusal(day: date) -> str:
    """Why `as_of` cannot be answered, or "" when it can: the records start on the day of the
    first right event, and nothing is known of days after today."""
    today = timezone.localdate()
    if day > today:
        return _("%(day)s is in the future; ask for a day up to today, %(today)s.") % {
            "day": day.isoformat(),
            "today": today.isoformat(),
        }
    starts = selectors.rights_history_starts()
    if starts is None:
        return _("No delivery right has been recorded yet.")
    if day < starts:
        return _("Delivery rights are recorded from %(starts)s; ask for a day from then to today.") % {
            "starts": starts.isoformat()
        }
    return ""


def _right_out(request: HttpRequest, right, *, status: str, since: datetime | None, facts, tier=None) -> dict:
    """A right as the API shows it. `facts` holds its `grace_ends_at` and `certified_engineers`:
    the right itself for today, or for a past day the event that gave its state then; `tier` is
    the organisation's tier today with the product's vendor (an `OrganisationTier`), if any."""
    organisation, product = right.organisation, right.product
    return {
        "status": status,
        "since": since,
        "grace_ends_at": facts.grace_ends_at,
        "certified_engineers": facts.certified_engineers,
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
        "product": {"slug": product.slug, "name": product.name, "vendor": product.vendor.name},
        "tier": tier_out(tier) if tier else None,
    }
