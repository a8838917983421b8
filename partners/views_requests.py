"""The customer's side of the marketplace, with no account: ask (`/partners/request/`), confirm
the e-mail by its link, then follow every step on a page reached by a signed link."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from certifications.rights import selectors as rights_selectors
from community.ratelimit import client_address, rate_limit_exceeded
from partners import requests, selectors, selectors_marketplace, tokens
from partners.forms_requests import CustomerRequestForm

HOUR = 60 * 60


def _limited(request, email: str) -> bool:
    """The per-address and per-e-mail budgets; both are counted on every accepted submission."""
    by_address = rate_limit_exceeded(
        scope="request-address", key=client_address(request), limit=settings.REQUEST_RATE_LIMIT_ADDRESS, window=HOUR
    )
    by_email = rate_limit_exceeded(
        scope="request-email", key=email, limit=settings.REQUEST_RATE_LIMIT_EMAIL, window=HOUR
    )
    return by_address or by_email


def request_new(request):
    products = rights_selectors.products_with_rules()
    partners = selectors.listed_partners()
    initial = {}
    if slug := request.GET.get("partner"):
        initial["partners"] = list(partners.filter(slug=slug).values_list("pk", flat=True))
    if slug := request.GET.get("product"):
        initial["products"] = list(products.filter(slug=slug).values_list("pk", flat=True))
    form = CustomerRequestForm(request.POST or None, initial=initial, products=products, partners=partners)
    if request.method == "POST" and form.is_valid():
        if form.is_bot:
            return redirect("partners:request_sent")
        data = form.cleaned_data
        if _limited(request, data["email"]):
            form.add_error(None, _("Too many requests from you in the last hour. Your text is kept: try again later."))
        else:
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
            return redirect("partners:request_sent")
    return render(request, "partners/request_form.html", {"form": form})


def request_sent(request):
    return render(request, "partners/request_sent.html")


@never_cache
def request_confirm(request, token):
    request_id = tokens.token_read(tokens.CONFIRM, token, max_age=tokens.CONFIRM_MAX_AGE)
    customer_request = request_id and requests.request_confirm(request_id=request_id)
    if not customer_request:
        return render(request, "partners/request_link_invalid.html", status=404)
    messages.success(request, _("Thank you: your e-mail address is confirmed."))
    return redirect("partners:request_follow", token=tokens.token_make(tokens.FOLLOW, customer_request.pk))


@never_cache
def request_follow(request, token):
    request_id = tokens.token_read(tokens.FOLLOW, token)
    follow = request_id and selectors_marketplace.request_timeline(request_id=request_id)
    if not follow:
        raise Http404
    response = render(request, "partners/request_follow.html", {"follow": follow})
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
