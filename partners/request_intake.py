"""What the request form and `POST /api/v1/requests` share, so both have the same protections:
the form's validation, the honeypot (a bot is answered as if accepted and nothing is stored) and
the per-address and per-e-mail budgets per hour."""

import enum

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from certifications.rights import selectors as rights_selectors
from community.ratelimit import client_address, rate_limit_exceeded
from partners import requests, selectors
from partners.forms_requests import CustomerRequestForm

HOUR = 60 * 60


class Intake(enum.Enum):
    STORED = "stored"
    IGNORED = "ignored"  # the honeypot was filled: answered as stored, nothing kept
    LIMITED = "limited"


def request_form(data=None, *, initial=None) -> CustomerRequestForm:
    return CustomerRequestForm(
        data,
        initial=initial,
        products=rights_selectors.products_with_rules(),
        partners=selectors.listed_partners(),
    )


def _limited(http_request: HttpRequest, email: str) -> bool:
    """Both budgets are counted on every valid submission."""
    by_address = rate_limit_exceeded(
        scope="request-address",
        key=client_address(http_request),
        limit=settings.REQUEST_RATE_LIMIT_ADDRESS,
        window=HOUR,
    )
    by_email = rate_limit_exceeded(
        scope="request-email", key=email, limit=settings.REQUEST_RATE_LIMIT_EMAIL, window=HOUR
    )
    return by_address or by_email


def request_intake(form: CustomerRequestForm, http_request: HttpRequest) -> Intake:
    """Store a valid form's request (unconfirmed; the customer is e-mailed the link)."""
    if form.is_bot:
        return Intake.IGNORED
    data = form.cleaned_data
    if _limited(http_request, data["email"]):
        return Intake.LIMITED
    requests.request_submit(
        products=data["products"],
        chosen_partner_ids=[p.pk for p in data["partners"]],
        region=data["region"],
        company=data["company"],
        company_size=data["company_size"],
        contact_name=data["contact_name"],
        email=data["email"],
        need=data["need"],
        language=translation.get_language() or "en",
    )
    return Intake.STORED
