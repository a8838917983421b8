"""`GET /api/v1/delivery-rights`: which partners may deliver which products, for anyone. The
facts the public directory shows, nothing private (no people, no e-mail, no internal ids).
A django-ninja router that `partners.api` mounts."""

import math
from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from community.api_errors import FilterError, InvalidRequestOut, PageNotFound
from community.models import Region
from partners import selectors

router = Router(tags=["delivery rights"])

PAGE_SIZE = 50


# What a SlugField holds; the database never sees anything else (PostgreSQL refuses a NUL).
SLUG_PATTERN = "^[-a-zA-Z0-9_]*$"


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
    page: int = Field(1, ge=1, description="The page, from 1; past the last page is a 404.")


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


class DeliveryRightOut(Schema):
    status: Literal["active", "grace"]
    since: datetime | None
    grace_ends_at: datetime | None
    certified_engineers: int
    organisation: OrganisationOut
    product: ProductOut


class DeliveryRightsPage(Schema):
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
    summary="Partners' delivery rights in force",
)
def delivery_rights(request: HttpRequest, filters: Query[RightsFilters]):
    """Rights in force (status `active`, or `grace` while a partner certifies more engineers
    before `grace_ends_at`), filtered by product slug, region code and organisation slug, by
    organisation then product name, 50 a page. An unknown region code is a 400 and a page past
    the last a 404; a page that is not a whole number from 1, or a slug with characters no slug
    has, is a 422."""
    if filters.region and filters.region not in Region.values:
        message = _("Unknown region “%(region)s”; use one of: %(codes)s.") % {
            "region": filters.region,
            "codes": ", ".join(Region.values),
        }
        return Status(400, {"error": "invalid_filter", "message": message})
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
    results = [
        {
            "status": right.status,
            "since": right.active_since,
            "grace_ends_at": right.grace_ends_at,
            "certified_engineers": right.certified_engineers,
            "organisation": {
                "name": right.organisation.name,
                "slug": right.organisation.slug,
                "region": right.organisation.region,
                "region_name": str(right.organisation.get_region_display()),
                "country": right.organisation.country.code,
                "city": right.organisation.city,
                "website": right.organisation.website,
                "profile_url": request.build_absolute_uri(
                    reverse("partners:partner", kwargs={"slug": right.organisation.slug})
                ),
            },
            "product": {"slug": right.product.slug, "name": right.product.name, "vendor": right.product.vendor.name},
        }
        for right in rights[start : start + PAGE_SIZE]
    ]
    return {
        "count": count,
        "page": filters.page,
        "pages": pages,
        "next": _page_url(request, filters.page + 1) if filters.page < pages else None,
        "previous": _page_url(request, filters.page - 1) if filters.page > 1 else None,
        "results": results,
    }
