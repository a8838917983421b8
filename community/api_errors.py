"""The error bodies of the public API, each a schema the OpenAPI document lists for the statuses
that carry it, so a client can read every answer it may get from the document alone."""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError


class ErrorOut(Schema):
    error: Literal["malformed", "mistyped", "not_found", "rate_limited"]
    message: str
    serial: str | None = None


class TokenErrorOut(Schema):
    """Why a call that needs an API token was refused (401: none, unknown, expired or revoked;
    403: a scope it lacks; 429: past the token's budget per minute)."""

    error: Literal[
        "missing_token", "invalid_token", "expired_token", "revoked_token", "insufficient_scope", "rate_limited"
    ]
    message: str


TOKEN_ERRORS = {401: TokenErrorOut, 403: TokenErrorOut, 429: TokenErrorOut}


class FilterError(Schema):
    error: Literal["invalid_filter"]
    message: str


class PageNotFound(Schema):
    error: Literal["not_found"]
    message: str


class InvalidParameter(Schema):
    loc: list[str | int]
    msg: str
    type: str


class InvalidRequestOut(Schema):
    """A parameter that the document's schema refuses (a page that is not a whole number from 1,
    say). `detail` names each one, as django-ninja reports them."""

    error: Literal["invalid_request"]
    message: str
    detail: list[InvalidParameter]


def invalid_request(request: HttpRequest, exc: ValidationError, *, api: NinjaAPI) -> HttpResponse:
    """The 422 answer to parameters that fail validation, in the documented `InvalidRequestOut` form."""
    detail = [{"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]} for error in exc.errors]
    names = ", ".join(dict.fromkeys(str(error["loc"][-1]) for error in detail if error["loc"]))
    body = {
        "error": "invalid_request",
        "message": _("These parameters are not valid: %(names)s.") % {"names": names},
        "detail": detail,
    }
    return api.create_response(request, body, status=422)


def unreadable_body(request: HttpRequest, exc: HttpError, *, api: NinjaAPI) -> HttpResponse:
    """django-ninja's HttpError (its answer to a body that is not JSON), in the documented
    `{"error", "message"}` form of each operation's 400."""
    if exc.status_code != 400:
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
    body = {"error": "malformed_body", "message": _("The request body is not valid JSON.")}
    return api.create_response(request, body, status=400)
