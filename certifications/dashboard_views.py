"""The programme dashboard in the Wagtail admin, for a vendor's programme managers (site
administrators pick any vendor). Anyone who manages no vendor's programme, authors included,
gets 404."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from certifications.dashboard_selectors import EXPIRING_DAYS, GRACE_LIST, RECENT_DAYS, programme_dashboard
from community.selectors import vendors_for_managers


def programme(request):
    vendors = list(vendors_for_managers(user=request.user).order_by("name"))
    if not vendors:
        raise Http404
    chosen = request.GET.get("vendor", "")
    vendor = next((v for v in vendors if v.slug == chosen), vendors[0])
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
        },
    )
