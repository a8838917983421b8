"""A partner's leads (`/partners/leads/`): the offers made to its company, each answered with one
click by its admins and the engineers they allow. Nobody else sees them: another partner's
offer is a 404, as if it did not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import selectors as community_selectors
from community.errors import error_text
from partners import offers, selectors_marketplace
from partners.forms_leads import DeclineForm
from partners.models import Offer

LEADS_PER_PAGE = 20


def _answering_organisation(request):
    """The signed-in person's partner, when they may answer its leads (and so work its
    engagements); otherwise 403."""
    membership = community_selectors.membership_current(user=request.user)
    if membership is None or not offers.may_answer(user=request.user, organisation_id=membership.organisation_id):
        raise PermissionDenied
    return membership.organisation


@login_required
def leads(request):
    organisation = _answering_organisation(request)
    page = Paginator(selectors_marketplace.partner_offers(organisation=organisation), LEADS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "partners/leads.html",
        {"organisation": organisation, "page": page},
    )


@login_required
def lead(request, pk):
    organisation = _answering_organisation(request)
    offer = get_object_or_404(
        Offer.objects.select_related("request__vendor", "request__engagement"), pk=pk, organisation=organisation
    )
    return render(
        request,
        "partners/lead.html",
        {
            "organisation": organisation,
            "offer": offer,
            "products": list(offer.request.products.order_by("name")),
            "decline_form": DeclineForm(),
        },
    )


@login_required
@require_POST
def lead_answer(request, pk):
    organisation = _answering_organisation(request)
    offer = Offer.objects.filter(pk=pk, organisation=organisation).first()
    if offer is None:
        raise Http404
    try:
        if request.POST.get("answer") == "accept":
            offers.offer_accept(offer_id=offer.pk, user=request.user)
            messages.success(request, _("You accepted the request. The customer has been told; contact them next."))
        else:
            form = DeclineForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose why you decline."))
                return redirect("partners:lead", pk=offer.pk)
            offers.offer_decline(offer_id=offer.pk, user=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("You declined the request; it passes to the next partner."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("partners:lead", pk=offer.pk)
