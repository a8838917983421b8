"""The vendor's view of its marketplace (`/partners/vendor/`), for its staff: its customers'
requests by state, region and product, how routing went for each (offers, answers, time to
answer, decline reasons), the figures over the list, a CSV export of it, and each request with
every step. Anyone else gets 404, and so does another vendor's request."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string

from community.admin_scoping import managed_vendor_ids, staff_vendor_ids
from community.csv_export import csv_response, iso, list_queries
from community.models import Product, Vendor
from partners import selectors_marketplace
from partners.forms_vendor import VendorRequestFilterForm
from partners.vendor_requests_cache import vendor_request_results

REQUESTS_PER_PAGE = 25
CSV_COLUMNS = (
    "request",
    "asked",
    "confirmed",
    "state",
    "vendor",
    "company",
    "company_size",
    "region",
    "products",
    "named_account",
    "offers",
    "accepted_by",
    "accepted_at",
    "declined",
    "expired",
    "first_answer_hours",
)


def _vendor_ids(request) -> frozenset[int]:
    vendor_ids = staff_vendor_ids(request.user)
    if not vendor_ids:
        raise Http404
    return vendor_ids


@login_required
def vendor_requests(request):
    vendor_ids = _vendor_ids(request)
    vendors = list(Vendor.objects.filter(pk__in=vendor_ids).order_by("name"))
    products = list(Product.objects.filter(vendor_id__in=vendor_ids).order_by("name"))
    form = VendorRequestFilterForm(request.GET or None, vendors=vendors, products=products)
    filters = form.filters()
    chosen = filters.pop("vendor", "")
    if chosen:
        vendor_ids = [v.pk for v in vendors if v.slug == chosen]
    requests = selectors_marketplace.vendor_requests(vendor_ids=vendor_ids, **filters)
    if request.GET.get("format") == "csv":
        return csv_response(name="requests", columns=CSV_COLUMNS, rows=requests, row=_csv_row)
    query, csv_query = list_queries(request)

    def render_results() -> str:
        context = {
            "vendors": vendors,
            "page": Paginator(requests, REQUESTS_PER_PAGE).get_page(request.GET.get("page")),
            "summary": selectors_marketplace.vendor_request_summary(requests=requests),
            "query": query,
            "csv_query": csv_query,
        }
        return render_to_string("partners/vendor/request_results.html", context, request=request)

    results_html = vendor_request_results.get_or_render(request=request, render=render_results, scopes=vendor_ids)
    return render(
        request,
        "partners/vendor/requests.html",
        {
            "form": form,
            "vendors": vendors,
            "results_html": results_html,
            "query": query,
            "manages": bool(managed_vendor_ids(request.user)),
        },
    )


@login_required
def vendor_request(request, pk):
    detail = selectors_marketplace.vendor_request(vendor_ids=_vendor_ids(request), request_id=pk)
    if detail is None:
        raise Http404
    return render(
        request,
        "partners/vendor/request.html",
        {"detail": detail, "r": detail.request, "manages": bool(managed_vendor_ids(request.user))},
    )


def _csv_row(r) -> list:
    offers = r.offers.all()
    accepted = next((o for o in offers if o.state == o.State.ACCEPTED), None)
    answered = [o.responded_at - o.offered_at for o in offers if o.responded_at and o.state in ("accepted", "declined")]
    first = min(answered) if answered else None
    return [
        r.pk,
        iso(r.created_at),
        iso(r.confirmed_at),
        r.state,
        r.vendor.name,
        r.company,
        r.company_size,
        r.region,
        "; ".join(p.name for p in r.products.all()),
        r.named_account.company if r.named_account else "",
        len(offers),
        accepted.organisation.name if accepted else "",
        iso(accepted.responded_at) if accepted else "",
        "; ".join(f"{o.organisation.name}: {o.decline_reason}" for o in offers if o.state == o.State.DECLINED),
        "; ".join(o.organisation.name for o in offers if o.state == o.State.EXPIRED),
        f"{first.total_seconds() / 3600:.1f}" if first is not None else "",
    ]
