"""`POST /api/v1/requests`: a customer's request for help, for sites and tools that collect it
themselves. The same rules as the form at `/partners/request/` (partners.request_intake): the
customer confirms by the e-mailed link before anything is routed."""

from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import WithJsonSchema

from community.api_errors import InvalidRequestOut
from community.models import Product, Region
from partners.api_rights import SLUG_PATTERN
from partners.models import CompanySize
from partners.request_intake import Intake, request_form, request_intake
from partners.selectors import listed_partners

router = Router(tags=["customer requests"])

Slug = Annotated[str, Field(min_length=1, max_length=160, pattern=SLUG_PATTERN)]
# Text a person typed: at least one character that is not a space.
TYPED = r"\S"


class RequestIn(Schema):
    products: list[Slug] = Field(..., min_length=1, max_length=20, description="Product slugs, of one vendor.")
    region: Annotated[str, WithJsonSchema({"type": "string", "enum": Region.values})] = Field(
        ..., description="Where the work is: a region code."
    )
    company: str = Field(..., min_length=1, max_length=160, pattern=TYPED)
    company_size: Annotated[str, WithJsonSchema({"type": "string", "enum": CompanySize.values})] = Field(...)
    contact_name: str = Field(..., min_length=1, max_length=150, pattern=TYPED)
    email: str = Field(
        ..., max_length=254, json_schema_extra={"format": "email"}, description="Where the confirmation link is sent."
    )
    need: str = Field(
        ..., min_length=1, max_length=4000, pattern=TYPED, description="What the customer needs; partners see it."
    )
    partners: list[Slug] = Field([], max_length=20, description="Slugs of partners to ask first (optional).")
    website: str = Field("", max_length=200, description="Leave empty (a field for bots).")


class RequestAccepted(Schema):
    status: Literal["unconfirmed"]
    message: str


class RequestRefused(Schema):
    error: Literal["invalid_request", "malformed_body", "rate_limited"]
    message: str
    fields: dict[str, list[str]] = {}


@router.post(
    "/requests",
    response={202: RequestAccepted, 400: RequestRefused, 422: InvalidRequestOut, 429: RequestRefused},
    url_name="requests",
    operation_id="partners_api_requests_create",
    summary="Ask authorised partners for help",
)
def request_create(request: HttpRequest, body: RequestIn):
    """Stores the request and e-mails the customer a confirmation link; nothing is routed until
    they follow it. A 400 names each field that is wrong (an unknown product, products of two
    vendors, an invalid e-mail address...) and a 429 means too many requests from this address or
    for this e-mail address in the last hour."""
    products = dict(Product.objects.filter(slug__in=body.products).values_list("slug", "pk"))
    partners = dict(listed_partners().filter(slug__in=body.partners).values_list("slug", "pk"))
    unknown = [slug for slug in body.products if slug not in products]
    data = body.dict() | {"products": [products[s] for s in body.products if s in products]}
    data["partners"] = [partners[s] for s in body.partners if s in partners]
    form = request_form(data)
    if not form.is_valid() or unknown or len(partners) != len(set(body.partners)):
        fields = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        if unknown:
            fields["products"] = [_("Unknown products: %(slugs)s.") % {"slugs": ", ".join(unknown)}]
        if len(partners) != len(set(body.partners)):
            fields["partners"] = [_("Some of these partners are not in the directory.")]
        return Status(400, {"error": "invalid_request", "message": _("The request has errors."), "fields": fields})
    if request_intake(form, request) is Intake.LIMITED:
        message = _("Too many requests from you in the last hour. Try again later.")
        return Status(429, {"error": "rate_limited", "message": message})
    message = _("Check your e-mail: the request goes to partners once the address is confirmed.")
    return Status(202, {"status": "unconfirmed", "message": message})
