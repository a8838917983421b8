"""Opportunity registration pages. A partner's admins and lead responders register and follow
their company's registrations (`/partners/opportunities/`); the vendor's programme managers
decide them (`/partners/vendor/opportunities/`). Another partner's or another vendor's
registration is a 404, as if it did not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.csv_export import csv_response, iso, list_queries
from community.errors import error_text
from community.models import Product
from community.selectors import vendors_for_managers
from partners import opportunities, selectors_opportunities
from partners.forms_opportunities import DecisionForm, OpportunityForm, VendorFilterForm
from partners.models import Opportunity, OpportunityConflict
from partners.views_leads import _answering_organisation

PER_PAGE = 20
CSV_COLUMNS = (
    "registration",
    "registered",
    "state",
    "vendor",
    "partner",
    "partner_region",
    "customer_company",
    "customer_domain",
    "products",
    "expected_value",
    "close_date",
    "decide_by",
    "decided",
    "protected_until",
    "renewed",
    "conflicts",
)


@login_required
def opportunity_list(request):
    organisation = _answering_organisation(request)
    page = Paginator(selectors_opportunities.partner_opportunities(organisation=organisation), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "partners/opportunities.html", {"organisation": organisation, "page": page})


@login_required
def opportunity_new(request):
    organisation = _answering_organisation(request)
    form = OpportunityForm(
        request.POST or None, products=selectors_opportunities.products_held(organisation=organisation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = opportunities.opportunity_register(
                organisation=organisation, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Registered. The vendor decides by the date shown."))
            return redirect("partners:opportunity", pk=opportunity.pk)
    return render(request, "partners/opportunity_form.html", {"organisation": organisation, "form": form})


@login_required
def opportunity_detail(request, pk):
    organisation = _answering_organisation(request)
    opportunity = get_object_or_404(selectors_opportunities.partner_opportunities(organisation=organisation), pk=pk)
    return render(
        request,
        "partners/opportunity.html",
        {
            "organisation": organisation,
            "opportunity": opportunity,
            "steps": selectors_opportunities.opportunity_steps(opportunity=opportunity),
        },
    )


@login_required
@require_POST
def opportunity_renew(request, pk):
    organisation = _answering_organisation(request)
    opportunity = get_object_or_404(Opportunity, pk=pk, organisation=organisation)
    try:
        opportunities.opportunity_renew(opportunity=opportunity, user=request.user)
        messages.success(request, _("Protection renewed."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("partners:opportunity", pk=opportunity.pk)


def _managed_vendor_ids(request) -> list[int]:
    vendor_ids = list(vendors_for_managers(user=request.user).values_list("pk", flat=True))
    if not vendor_ids:
        raise PermissionDenied
    return vendor_ids


@login_required
def vendor_opportunity_list(request):
    vendor_ids = _managed_vendor_ids(request)
    products = Product.objects.filter(vendor_id__in=vendor_ids).order_by("name")
    filters = VendorFilterForm(request.GET or None, products=products)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    registrations = selectors_opportunities.vendor_opportunities(vendor_ids=vendor_ids, **chosen)
    if request.GET.get("format") == "csv":
        return csv_response(name="registrations", columns=CSV_COLUMNS, rows=registrations, row=_csv_row)
    query, csv_query = list_queries(request)
    page = Paginator(registrations, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/vendor_opportunities.html",
        {
            "filters": filters,
            "page": page,
            "by_state": selectors_opportunities.vendor_opportunities_by_state(opportunities=registrations),
            "query": query,
            "csv_query": csv_query,
            "manages": True,
        },
    )


@login_required
def vendor_opportunity_detail(request, pk):
    vendor_ids = _managed_vendor_ids(request)
    opportunity = get_object_or_404(selectors_opportunities.vendor_opportunities(vendor_ids=vendor_ids), pk=pk)
    return render(
        request,
        "partners/vendor_opportunity.html",
        {
            "opportunity": opportunity,
            "conflicts": selectors_opportunities.opportunity_conflicts(opportunity=opportunity),
            "steps": selectors_opportunities.opportunity_steps(opportunity=opportunity),
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def vendor_opportunity_decide(request, pk):
    vendor_ids = _managed_vendor_ids(request)
    opportunity = get_object_or_404(Opportunity, pk=pk, vendor_id__in=vendor_ids)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            opportunities.opportunity_approve(opportunity=opportunity, user=request.user, note=note)
            messages.success(request, _("Approved: the partner is protected for this customer."))
        elif decision == "reject":
            opportunities.opportunity_reject(opportunity=opportunity, user=request.user, note=note)
            messages.success(request, _("Rejected; the partner has been told why."))
        else:
            conflict = get_object_or_404(
                OpportunityConflict, pk=request.POST.get("conflict") or 0, second__vendor_id__in=vendor_ids
            )
            winner = get_object_or_404(Opportunity, pk=request.POST.get("winner") or 0, vendor_id__in=vendor_ids)
            opportunities.conflict_decide(conflict=conflict, winner=winner, user=request.user, note=note)
            messages.success(request, _("Conflict decided; both partners see the outcome."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("partners:vendor_opportunity", pk=opportunity.pk)


def _conflict_outcome(opportunity: Opportunity, conflict: OpportunityConflict) -> str:
    if conflict.decided_at is None:
        return "open"
    return "won" if conflict.winner_id == opportunity.pk else "lost"


def _csv_row(o: Opportunity) -> list:
    conflicts = [*o.conflicts_as_first.all(), *o.conflicts_as_second.all()]
    return [
        o.pk,
        iso(o.registered_at),
        o.state,
        o.vendor.name,
        o.organisation.name,
        o.organisation.region,
        o.customer_company,
        o.customer.domain,
        "; ".join(p.name for p in o.products.all()),
        o.expected_value,
        o.close_date.isoformat(),
        iso(o.decide_by),
        iso(o.decided_at),
        o.protected_until.isoformat() if o.protected_until else "",
        "yes" if o.renewed else "no",
        "; ".join(f"{c.found_at:%Y-%m-%d} {_conflict_outcome(o, c)}" for c in conflicts),
    ]
