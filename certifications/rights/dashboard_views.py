"""The programme dashboard in the Wagtail admin, for a vendor's programme managers (site
administrators pick any vendor), its summary on the admin home page, who was authorised to
deliver a product on a date, and the partners behind its forecast lapses. Anyone who manages no
vendor's programme, authors included, gets 404."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.site_summary import SummaryItem

from certifications.rights import history
from certifications.rights.dashboard_selectors import (
    EXPIRING_DAYS,
    GRACE_LIST,
    RECENT_DAYS,
    partners_in_grace_count,
    programme_dashboard,
)
from certifications.rights.forecast import WINDOWS, vendor_forecast_organisations
from certifications.rights.forecast_cache import vendor_forecast_cached
from certifications.rights.forms import AuthorisedOnForm
from certifications.rights.selectors import products_with_rules
from community.admin_scoping import managed_vendor_ids
from community.models import Region, Vendor
from community.selectors import vendors_for_managers

AUTHORISED_PER_PAGE = 50


def managed_vendor_chosen(request) -> tuple[Vendor, list[Vendor]]:
    """The vendor asked for (`?vendor=<slug>`) among those the person manages, else the first by
    name; 404 for someone who manages none."""
    vendors = list(vendors_for_managers(user=request.user).order_by("name"))
    if not vendors:
        raise Http404
    chosen = request.GET.get("vendor", "")
    return next((v for v in vendors if v.slug == chosen), vendors[0]), vendors


def programme(request):
    vendor, vendors = managed_vendor_chosen(request)
    now = timezone.now()
    return render(
        request,
        "certifications/admin/dashboard.html",
        {
            "dashboard": programme_dashboard(vendor=vendor, now=now, today=timezone.localdate(now)),
            "vendors": vendors,
            "recent_days": RECENT_DAYS,
            "expiring_days": EXPIRING_DAYS,
            "grace_list": GRACE_LIST,
            "forecast": vendor_forecast_cached(vendor=vendor, now=now),
            "windows": WINDOWS,
        },
    )


def forecast_organisations(request):
    """The partners behind one figure of the dashboard's forecast: their rights of one of the
    vendor's products at risk within 30, 60 or 90 days, in a region or anywhere, with who must
    recertify. A product of another vendor, or a window or region not offered, is a 404."""
    vendor, vendors = managed_vendor_chosen(request)
    product = products_with_rules().filter(vendor=vendor, slug=request.GET.get("product", "")).first()
    region = request.GET.get("region", "")
    try:
        window = int(request.GET.get("days", WINDOWS[-1]))
    except ValueError:
        window = 0
    if product is None or window not in WINDOWS or (region and region not in Region.values):
        raise Http404
    rows = vendor_forecast_organisations(vendor=vendor, product=product, region=region, window=window)
    context = {"vendor": vendor, "product": product, "region": Region(region).label if region else "", "window": window}
    return render(request, "certifications/admin/forecast.html", context | {"rows": rows})


def authorised_on(request):
    """Which partners held the right to one of the vendor's products, in a region or anywhere, at
    the end of a past day, with the certificates that counted (from the rights' audit events).
    The first product and today until the person asks for others."""
    vendor, vendors = managed_vendor_chosen(request)
    products = list(products_with_rules().filter(vendor=vendor))
    today = timezone.localdate()
    data = request.GET.copy()
    if products:
        data.setdefault("product", products[0].slug)
    data.setdefault("day", today.isoformat())
    form = AuthorisedOnForm(data, products=products, today=today, starts=history.rights_history_starts())
    page = None
    if products and form.is_valid():
        held = history.product_rights_held_on(
            day=form.cleaned_data["day"], product=form.cleaned_data["product"], region=form.cleaned_data["region"]
        )
        page = Paginator(held, AUTHORISED_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"vendor": vendor, "vendors": vendors, "products": products, "form": form, "page": page}
    return render(request, "certifications/admin/authorised_on.html", context | {"query": query.urlencode()})


class ProgrammeSummaryItem(SummaryItem):
    """The admin home page's way to the programme dashboard, with the partners who need attention."""

    order = 150
    template_name = "certifications/admin/programme_summary_item.html"

    def is_shown(self):
        return bool(managed_vendor_ids(self.request.user))

    def get_context_data(self, parent_context):
        return {
            "url": reverse("programme_dashboard"),
            "in_grace": partners_in_grace_count(vendor_ids=managed_vendor_ids(self.request.user)),
        }
