"""The public JSON API, mounted at `/api/v1/` and described by OpenAPI at `/api/v1/openapi.json`.
Anyone may call it, signed in or not, except the endpoints that name a scope: those need an API
token (`community.api_tokens`) sent as `Authorization: Bearer <token>`. It gathers the routers of
the apps that answer: the certificate look-ups and what offline verifiers fetch (`certifications.verification.api`), the
delivery rights partners hold (`partners.api_rights`), each partner's trust profile
(`partners.api_partners`), customers' requests for help (`partners.api_requests`), and, for
tokens, a vendor's or organisation's certificates and revocation
(`certifications.verification.api_tokens`) and a vendor's exam attempts (`certifications.exams.api`). Operation
ids are pinned on each endpoint: clients generate code from them, so they outlive the modules
that define them."""

from functools import partial

from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from certifications.exams.api import router as attempts_router
from certifications.verification.api import RateLimited, rate_limited
from certifications.verification.api import router as certificates_router
from certifications.verification.api_tokens import router as token_certificates_router
from community.api_errors import invalid_request, unreadable_body
from community.api_tokens import TokenRefused, token_refused
from partners.api_partners import router as partners_router
from partners.api_requests import router as requests_router
from partners.api_rights import router as rights_router

api = NinjaAPI(
    urls_namespace="api",
    title="Partner Academy API",
    version="1",
    description=(
        "Public facts about certificates and partners' delivery rights, and customers' requests "
        "for help. Certificates are also published as signed Open Badges 3.0 credentials."
    ),
)
api.add_router("", rights_router)
api.add_router("", token_certificates_router)
api.add_router("", certificates_router)
api.add_router("", attempts_router)
api.add_router("", requests_router)
api.add_router("", partners_router)
api.add_exception_handler(ValidationError, partial(invalid_request, api=api))
api.add_exception_handler(TokenRefused, partial(token_refused, api=api))
api.add_exception_handler(RateLimited, partial(rate_limited, api=api))
api.add_exception_handler(HttpError, partial(unreadable_body, api=api))
