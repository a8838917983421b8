"""The vendor's view of its marketplace (`/partners/vendor/`), for its staff: its customers'
requests by state, region and product, how routing went for each (offers, answers, time to
answer, decline reasons), the figures over the list, a CSV export of it, and each request with
every step. Anyone else gets 404, and so does another vendor's request."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from community.admin_scoping import managed_vendor_ids, staff_vendor_ids
from community.models import Product, Vendor
from partners import selectors_marketplace
from partners.forms_vendor import VendorRequestFilterForm

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
        return _csv_response(requests)
    query = request.GET.copy()
    query.pop("page", None)
    csv_query = query.copy()
    csv_query["format"] = "csv"
    return render(
        request,
        "partners/vendor/requests.html",
        {
            "form": form,
            "vendors": vendors,
            "page": Paginator(requests, REQUESTS_PER_PAGE).get_page(request.GET.get("page")),
            "summary": selectors_marketplace.vendor_request_summary(requests=requests),
            "query": query.urlencode(),
            "csv_query": csv_query.urlencode(),
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


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    """The value as text, never read as a formula by a spreadsheet (customers type the names)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_row(r) -> list[str]:
    offers = r.offers.all()
    accepted = next((o for o in offers if o.state == o.State.ACCEPTED), None)
    answered = [o.responded_at - o.offered_at for o in offers if o.responded_at and o.state in ("accepted", "declined")]
    first = min(answered) if answered else None
    return [
        _cell(v)
        for v in (
            r.pk,
            r.created_at.isoformat(),
            r.confirmed_at.isoformat() if r.confirmed_at else "",
            r.state,
            r.vendor.name,
            r.company,
            r.company_size,
            r.region,
            "; ".join(p.name for p in r.products.all()),
            r.named_account.company if r.named_account else "",
            len(offers),
            accepted.organisation.name if accepted else "",
            accepted.responded_at.isoformat() if accepted and accepted.responded_at else "",
            "; ".join(f"{o.organisation.name}: {o.decline_reason}" for o in offers if o.state == o.State.DECLINED),
            "; ".join(o.organisation.name for o in offers if o.state == o.State.EXPIRED),
            f"{first.total_seconds() / 3600:.1f}" if first is not None else "",
        )
    ]


def _csv_response(requests) -> StreamingHttpResponse:
    """Streamed, a few hundred requests per query batch, so a long list never sits in memory."""
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        for r in requests.iterator(chunk_size=500):
            yield writer.writerow(_csv_row(r))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="requests-{timezone.localdate():%Y-%m-%d}.csv"'
    return response
