"""The customer's side of the marketplace, with no account: ask (`/partners/request/`), confirm
the e-mail by its link, then follow every step on a page reached by a signed link."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from certifications.rights import selectors as rights_selectors
from partners import requests, selectors, selectors_marketplace, tokens
from partners.request_intake import Intake, request_form, request_intake


def request_new(request):
    initial = {}
    if slug := request.GET.get("partner"):
        initial["partners"] = list(selectors.listed_partners().filter(slug=slug).values_list("pk", flat=True))
    if slug := request.GET.get("product"):
        initial["products"] = list(
            rights_selectors.products_with_rules().filter(slug=slug).values_list("pk", flat=True)
        )
    form = request_form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if request_intake(form, request) is not Intake.LIMITED:
            return redirect("partners:request_sent")
        form.add_error(None, _("Too many requests from you in the last hour. Your text is kept: try again later."))
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
    # The token is the secret: never sent to another site. (Not "no-referrer": a form posted from
    # such a page carries "Origin: null", which Django's CSRF check refuses.)
    response["Referrer-Policy"] = "same-origin"
    return response
